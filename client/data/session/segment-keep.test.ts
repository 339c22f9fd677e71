import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../testing/memory-storage.js';
import { SegmentKeep } from './segment-keep.js';

/** A keep with a clock the test moves: each `opened` one tick later. */
function keepWithClock(keep = 2) {
  let now = 0;
  const storage = memoryStorage();
  return { storage, segments: new SegmentKeep('ann', storage, keep, () => ++now) };
}

describe('SegmentKeep', () => {
  it('keeps the newest and the most recently opened older segments, evicting the least recently opened first', () => {
    const { segments } = keepWithClock(2);
    for (const n of [9, 8, 7, 6, 5]) segments.opened('c', n);
    segments.opened('c', 8); // read again: recent
    expect(segments.takeEvictions('c', 9, new Set())).toEqual([7, 6]);
    // Forgotten once evicted: asked again, nothing more goes.
    expect(segments.takeEvictions('c', 9, new Set())).toEqual([]);
  });

  it('says which segments the device holds: opened, and not evicted since (those may subscribe before their local copy opened)', () => {
    const { segments } = keepWithClock(0);
    expect(segments.held('c', 3)).toBe(false);
    for (const n of [4, 3]) segments.opened('c', n);
    expect(segments.held('c', 3)).toBe(true);
    expect(segments.held('d', 3)).toBe(false);
    expect(segments.takeEvictions('c', 4, new Set())).toEqual([3]);
    expect(segments.held('c', 3)).toBe(false);
  });

  it('never evicts a segment open now or one holding a change not yet sent, until it synced', () => {
    const { segments } = keepWithClock(0);
    for (const n of [4, 3, 2, 1]) segments.opened('c', n);
    segments.markUnsent('c', 2);
    expect(segments.takeEvictions('c', 4, new Set([3]))).toEqual([1]);
    segments.markSent('c', 2);
    expect(segments.takeEvictions('c', 4, new Set([3]))).toEqual([2]);
  });

  it('keeps its records across reloads, per person, and forgets them at sign-out', () => {
    const { storage, segments } = keepWithClock(1);
    for (const n of [3, 2, 1]) segments.opened('c', n);
    const reloaded = new SegmentKeep('ann', storage, 1);
    // 2 was opened before 1 (scrolling back): it goes first.
    expect(reloaded.takeEvictions('c', 3, new Set())).toEqual([2]);
    expect(new SegmentKeep('bob', storage, 0).takeEvictions('c', 3, new Set())).toEqual([]);
    reloaded.clear(['c']);
    expect(storage.data.size).toBe(0);
  });

  it('starts again from a damaged record', () => {
    const { storage, segments } = keepWithClock(0);
    storage.setItem('hc.segments.ann.c', '{"opened": 7');
    segments.opened('c', 1);
    expect(segments.takeEvictions('c', 2, new Set())).toEqual([1]);
  });
});
