/**
 * The relay writes its frames into one array of the exact size (issue 14,
 * session 9): the bytes must be what y-protocols and lib0 write for the same
 * frame, whatever the payload's length (its varuint takes 1 to 3 bytes here),
 * and must decode back to the payload.
 */
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '../../shared/protocol.js';
import { decodeFrame, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './frames.js';

/** The frame as lib0's encoder writes it: the leading varuints, then the payload with its length. */
function byLib0(types: readonly number[], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const type of types) encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Lengths at each varuint boundary: 1, 2 and 3 bytes of length. */
const LENGTHS = [0, 1, 100, 127, 128, 129, 16_383, 16_384, 20_000];

function payloadOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
}

it('writes every frame kind byte for byte as lib0 does, at every length of the length varuint', () => {
  for (const length of LENGTHS) {
    const payload = payloadOf(length);
    expect(encodeSyncStep1(payload)).toEqual(byLib0([MessageType.sync, syncProtocol.messageYjsSyncStep1], payload));
    expect(encodeSyncStep2(payload)).toEqual(byLib0([MessageType.sync, syncProtocol.messageYjsSyncStep2], payload));
    expect(encodeUpdate(payload)).toEqual(byLib0([MessageType.sync, syncProtocol.messageYjsUpdate], payload));
    expect(encodeAwareness(payload)).toEqual(byLib0([MessageType.awareness], payload));
  }
});

it('decodes what it writes back to the same payload, with no byte left over', () => {
  for (const length of LENGTHS) {
    const payload = payloadOf(length);
    expect(decodeFrame(encodeSyncStep1(payload))).toEqual({ type: 'sync-step-1', stateVector: payload });
    expect(decodeFrame(encodeSyncStep2(payload))).toEqual({ type: 'sync-step-2', update: payload });
    expect(decodeFrame(encodeUpdate(payload))).toEqual({ type: 'update', update: payload });
    expect(decodeFrame(encodeAwareness(payload))).toEqual({ type: 'awareness', update: payload });
  }
});
