/** The `heads` frames on `/mux` (docs/PROTOCOL.md, "Shared conversation heads"): what the relay encodes is what the browser reads, and nothing else. */
import * as decoding from 'lib0/decoding';
import { expect, it } from 'vitest';
import {
  encodeHeadBatch,
  encodeHeadsSubscribe,
  HEADS_FRAME_NAME,
  type HeadFrame,
  readHeadBatch,
  readHeadsSubscribe,
} from './head-frames.js';

/** The message of a whole frame: what follows the name, as the mux socket hands it on. */
function messageOf(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  expect(decoding.readVarString(decoder)).toBe(HEADS_FRAME_NAME);
  return frame.subarray(decoder.pos);
}

const heads: HeadFrame[] = [1, 2, 3].map((n) => ({
  conversationId: `g${n}`,
  rev: 1_800_000_000_000 + n,
  head: { seq: n, at: 1_700_000_000_000 + n, author: 'ada', kind: 'text', preview: `message ${n}` },
}));

it('a head batch reads back as the heads it was made of, in order', () => {
  expect(readHeadBatch(messageOf(encodeHeadBatch(heads)))).toEqual(heads);
  expect(readHeadBatch(messageOf(encodeHeadBatch([])))).toEqual([]);
});

it('a head batch cut short, or with bytes after its heads, is refused whole; an entry that is no head is left out', () => {
  const message = messageOf(encodeHeadBatch(heads));
  expect(readHeadBatch(message.subarray(0, message.length - 3))).toBeNull();
  expect(readHeadBatch(new Uint8Array([...message, 0]))).toBeNull();
  const withStranger = messageOf(encodeHeadBatch([heads[0] as HeadFrame, { ...(heads[1] as HeadFrame), head: { seq: 'x' } as never }]));
  expect(readHeadBatch(withStranger)).toEqual([heads[0]]);
});

it('a subscribe says whether its client reads batches; one from before them reads as not', () => {
  expect(readHeadsSubscribe(messageOf(encodeHeadsSubscribe(42, true)))).toEqual({ since: 42, batches: true });
  expect(readHeadsSubscribe(messageOf(encodeHeadsSubscribe(42)))).toEqual({ since: 42, batches: false });
  expect(readHeadsSubscribe(new Uint8Array([...messageOf(encodeHeadsSubscribe(42, true)), 7]))).toBeNull();
});
