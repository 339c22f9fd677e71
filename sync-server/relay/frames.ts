/**
 * Encoding and decoding of the y-websocket frames the relay exchanges
 * (layout in docs/PROTOCOL.md). Decoding never trusts its input: any
 * malformed frame becomes a `FrameError`.
 */
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '../../shared/protocol.js';
import { varUintSize, writeVarUintAt } from './varuint.js';

export type Frame =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array };

export class FrameError extends Error {}

export function decodeFrame(data: Uint8Array): Frame {
  try {
    const decoder = decoding.createDecoder(data);
    const messageType = decoding.readVarUint(decoder);
    let frame: Frame;
    if (messageType === MessageType.sync) {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) frame = { type: 'sync-step-1', stateVector: payload };
      else if (syncType === syncProtocol.messageYjsSyncStep2) frame = { type: 'sync-step-2', update: payload };
      else if (syncType === syncProtocol.messageYjsUpdate) frame = { type: 'update', update: payload };
      else throw new FrameError(`unknown sync message type ${syncType}`);
    } else if (messageType === MessageType.awareness) {
      frame = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else {
      throw new FrameError(`unknown message type ${messageType}`);
    }
    if (decoding.hasContent(decoder)) throw new FrameError('trailing bytes after the message');
    return frame;
  } catch (error) {
    if (error instanceof FrameError) throw error;
    throw new FrameError('truncated or malformed frame');
  }
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsSyncStep1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsSyncStep2, update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(syncProtocol.messageYjsUpdate, update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return encodeFrame([MessageType.awareness], update);
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  return encodeFrame([MessageType.sync, syncType], payload);
}

/**
 * The frame's leading varuints (each below 128, so one byte each), the
 * payload's length as a varuint, then the payload: written into one array
 * of the exact size. A lib0 encoder starts with a 100-byte buffer, grows it
 * in chunks and copies them into a new array at the end; a relay encodes a
 * frame per stored update, so that was ~2 % of its main thread in the
 * fan-in/out bench (issue 14, session 9).
 */
function encodeFrame(types: readonly number[], payload: Uint8Array): Uint8Array {
  const length = payload.byteLength;
  const frame = new Uint8Array(types.length + varUintSize(length) + length);
  let at = 0;
  for (const type of types) frame[at++] = type;
  at = writeVarUintAt(frame, at, length);
  frame.set(payload, at);
  return frame;
}
