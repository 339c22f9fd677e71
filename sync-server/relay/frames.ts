/**
 * Encoding and decoding of the y-websocket frames the relay exchanges
 * (layout in docs/PROTOCOL.md). Decoding never trusts its input: any
 * malformed frame becomes a `FrameError`.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '../../shared/protocol.js';

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
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
