/** The `/mux` framing (docs/PROTOCOL.md): what both sides write reads back, and nothing malformed reads as a document. */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
  encodeClosedMessage,
  encodeSubscribe,
  encodeUnsubscribe,
  joinMuxFrame,
  MUX_MAX_DOC_NAME_BYTES,
  MuxFrameError,
  MuxMessageType,
  muxPrefix,
  readClosed,
  readMuxFrame,
  readSubscribe,
} from './mux-frames.js';

describe('mux frames', () => {
  it('reads back a subscribe, an unsubscribe, a closed and a y-websocket message behind a name', () => {
    const subscribe = readMuxFrame(encodeSubscribe('conv/abc', new Uint8Array([1, 2, 3])));
    expect(subscribe).toMatchObject({ docName: 'conv/abc', type: MuxMessageType.subscribe });
    expect(readSubscribe(subscribe.message)).toEqual(new Uint8Array([1, 2, 3]));
    expect(readMuxFrame(encodeUnsubscribe('user/u1'))).toMatchObject({ docName: 'user/u1', type: MuxMessageType.unsubscribe });
    const closed = readMuxFrame(joinMuxFrame(muxPrefix('conv/été~2'), encodeClosedMessage(4403, 'not a member')));
    expect(closed.docName).toBe('conv/été~2');
    expect(readClosed(closed.message)).toEqual({ code: 4403, reason: 'not a member' });
    const sync = new Uint8Array([0, 1, 2, 0, 0]);
    expect(readMuxFrame(joinMuxFrame(muxPrefix('conv/abc'), sync))).toMatchObject({ type: 0, message: sync });
  });

  it.each([
    ['nothing', []],
    ['an empty name', [0, 0]],
    ['a truncated name', [5, 0x63, 0x6f]],
    ['a name and no message', [1, 0x61]],
    ['a name that is not UTF-8', [2, 0xc3, 0x28, 0]],
    ['a truncated length', [0x80]],
  ])('refuses %s', (_, bytes) => {
    expect(() => readMuxFrame(new Uint8Array(bytes))).toThrow(MuxFrameError);
  });

  it('refuses a name over the limit before reading it', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MUX_MAX_DOC_NAME_BYTES + 1);
    expect(() => readMuxFrame(encoding.toUint8Array(encoder))).toThrow('document name of a wrong length');
    const longest = 'x'.repeat(MUX_MAX_DOC_NAME_BYTES);
    expect(readMuxFrame(encodeUnsubscribe(longest)).docName).toBe(longest);
  });

  it('reads a control message with bytes left over, or cut short, as malformed', () => {
    expect(readSubscribe(new Uint8Array([MuxMessageType.subscribe, 2, 1]))).toBeNull();
    expect(readSubscribe(new Uint8Array([MuxMessageType.subscribe, 1, 1, 9]))).toBeNull();
    expect(readClosed(new Uint8Array([MuxMessageType.closed, 0x80]))).toBeNull();
  });
});
