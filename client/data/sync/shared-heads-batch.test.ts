/**
 * A heads catch-up in `head-batch` frames (docs/PROTOCOL.md, "Shared
 * conversation heads"): the subscribe asks for them, and the heads of a batch
 * are taken like single heads, held until `heads-caught-up` and told to the
 * list once. The channel alone, fed the relay's own frames; no IndexedDB
 * (the list's wait is the catch-up, as on a first sign-in).
 */
import * as decoding from 'lib0/decoding';
import { expect, it } from 'vitest';
import {
  encodeCaughtUp,
  encodeHeadBatch,
  encodeHeadFrame,
  HEADS_FRAME_NAME,
  type HeadFrame,
  readHeadsSubscribe,
} from '../../../shared/head-frames.js';
import type { MuxProvider } from './mux-provider.js';
import { SharedHeads } from './shared-heads.js';

/** What the relay sends, as the mux provider hands it on: the type and the rest, without the name. */
function deliver(heads: SharedHeads, frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  expect(decoding.readVarString(decoder)).toBe(HEADS_FRAME_NAME);
  const message = frame.subarray(decoder.pos);
  heads.receive(message[0] ?? -1, message);
}

function channel(): { heads: SharedHeads; told: Array<{ ids: readonly string[]; live: boolean }> } {
  const mux = { setHeadsListener: () => {} } as unknown as MuxProvider;
  const heads = new SharedHeads('ann', mux, undefined, undefined);
  const told: Array<{ ids: readonly string[]; live: boolean }> = [];
  heads.subscribe((ids, live) => told.push({ ids, live }));
  return { heads, told };
}

const headOf = (n: number): HeadFrame => ({
  conversationId: `g${n}`,
  rev: 1_800_000_000_000 + n,
  head: { seq: n, at: 1_700_000_000_000 + n, author: 'bob', kind: 'text', preview: `message ${n}` },
});

it('asks for batches in its subscribe', () => {
  const { heads } = channel();
  const frame = heads.subscribeFrame();
  const decoder = decoding.createDecoder(frame);
  expect(decoding.readVarString(decoder)).toBe(HEADS_FRAME_NAME);
  expect(readHeadsSubscribe(frame.subarray(decoder.pos))).toEqual({ since: 0, batches: true });
});

it("takes a catch-up's batches with its single heads, tells them once at caught-up, and is loaded then", async () => {
  const { heads, told } = channel();
  heads.subscribeFrame();
  deliver(heads, encodeHeadBatch([headOf(1), headOf(2)]));
  deliver(heads, encodeHeadBatch([headOf(3)]));
  deliver(heads, encodeHeadFrame(headOf(4)));
  expect(told).toEqual([]);
  expect(heads.get('g1')).toBeUndefined();
  deliver(heads, encodeCaughtUp(headOf(4).rev));
  await heads.whenLoaded;
  expect(heads.loaded).toBe(true);
  expect([1, 2, 3, 4].map((n) => heads.get(`g${n}`)?.preview)).toEqual(['message 1', 'message 2', 'message 3', 'message 4']);
  expect(told).toEqual([{ ids: ['g1', 'g2', 'g3', 'g4'], live: false }]);
  expect(heads.since()).toBe(headOf(4).rev);
  // After the catch-up a batch (the same catch-up again) is news, and an older head of a conversation does not win.
  deliver(heads, encodeHeadBatch([{ ...headOf(1), rev: 1 }, { ...headOf(5) }]));
  expect(heads.get('g1')?.seq).toBe(1);
  expect(told.at(-1)).toEqual({ ids: ['g5'], live: true });
  heads.close();
});
