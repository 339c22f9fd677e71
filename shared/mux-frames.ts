/**
 * The framing of the multiplexed sync socket (`/mux`, docs/PROTOCOL.md,
 * "One socket for many documents"): every frame is the document's name as a
 * lib0 varString followed by one message. Messages 0 (sync) and 1
 * (awareness) are y-websocket's, byte for byte; 100–102 control the
 * subscription of that one document. Used by the relay and the browser, so
 * both read and write the same bytes; decoding never trusts its input.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as string from 'lib0/string';
import { sameBytes } from './same-bytes.js';

/** The relay's multiplexed endpoint. */
export const MUX_PATH = '/mux';

/** A document name longer than this (UTF-8 bytes) is not one we serve; the frame closes the socket. */
export const MUX_MAX_DOC_NAME_BYTES = 256;

/** Message types of the multiplexed socket besides y-websocket's (0 sync, 1 awareness). */
export const MuxMessageType = {
  /** Client → relay: open this document; carries the client's state vector (its sync step 1). */
  subscribe: 100,
  /** Client → relay: stop syncing this document. */
  unsubscribe: 101,
  /** Relay → client: this document's subscription ended, with a close code and reason; the socket stays. */
  closed: 102,
} as const;

/** One frame: the document it is about and the message, from its type varuint on. */
export interface MuxFrame {
  docName: string;
  type: number;
  /** The message from its first byte (its type): for types 0 and 1, a y-websocket frame as is. */
  message: Uint8Array;
}

export class MuxFrameError extends Error {}

/** Reads the name and type of a frame; throws `MuxFrameError` for anything that does not say which document. */
export function readMuxFrame(data: Uint8Array): MuxFrame {
  const decoder = decoding.createDecoder(data);
  let docName: string;
  let type: number;
  let messageStart: number;
  try {
    const length = decoding.readVarUint(decoder);
    // Checked before the bytes are read, so a huge length allocates nothing.
    if (length === 0 || length > MUX_MAX_DOC_NAME_BYTES) throw new MuxFrameError('document name of a wrong length');
    if (decoder.pos + length > data.byteLength) throw new MuxFrameError('truncated document name');
    const bytes = decoding.readUint8Array(decoder, length);
    docName = string.decodeUtf8(bytes);
    // lib0's decoder replaces bad sequences; a name that does not round-trip was not UTF-8.
    if (!sameBytes(string.encodeUtf8(docName), bytes)) throw new MuxFrameError('document name is not UTF-8');
    messageStart = decoder.pos;
    type = decoding.readVarUint(decoder);
  } catch (error) {
    if (error instanceof MuxFrameError) throw error;
    throw new MuxFrameError('truncated frame');
  }
  return { docName, type, message: data.subarray(messageStart) };
}

/** The bytes every frame about `docName` starts with (kept per subscription: names repeat on every frame). */
export function muxPrefix(docName: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, docName);
  return encoding.toUint8Array(encoder);
}

/** `prefix` (from `muxPrefix`) followed by `message`, as one frame. */
export function joinMuxFrame(prefix: Uint8Array, message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(prefix.byteLength + message.byteLength);
  frame.set(prefix, 0);
  frame.set(message, prefix.byteLength);
  return frame;
}

export function encodeSubscribe(docName: string, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, docName);
  encoding.writeVarUint(encoder, MuxMessageType.subscribe);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeUnsubscribe(docName: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, docName);
  encoding.writeVarUint(encoder, MuxMessageType.unsubscribe);
  return encoding.toUint8Array(encoder);
}

/** The message part (no name) of a `closed` frame; the relay prefixes it like any other. */
export function encodeClosedMessage(code: number, reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MuxMessageType.closed);
  encoding.writeVarUint(encoder, code);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** The state vector of a subscribe message; null when malformed. */
export function readSubscribe(message: Uint8Array): Uint8Array | null {
  return readWhole(message, (decoder) => decoding.readVarUint8Array(decoder));
}

/** The code and reason of a closed message; null when malformed. */
export function readClosed(message: Uint8Array): { code: number; reason: string } | null {
  return readWhole(message, (decoder) => ({ code: decoding.readVarUint(decoder), reason: decoding.readVarString(decoder) }));
}

/** Reads a control message after its type; null if it is truncated or has bytes left over. */
function readWhole<T>(message: Uint8Array, read: (decoder: decoding.Decoder) => T): T | null {
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const value = read(decoder);
    return decoding.hasContent(decoder) ? null : value;
  } catch {
    return null;
  }
}
