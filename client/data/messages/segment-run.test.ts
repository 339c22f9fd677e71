import { describe, expect, it } from 'vitest';
import type { OrderedMessage } from '../../../shared/message-order.js';
import { textMessage } from '../../../shared/testing/text-message.js';
import { mergeSegments, previousSegment, segmentsToEvict, shownSegments } from './segment-run.js';

function ordered(text: string, seq: number | undefined, createdAt = Date.UTC(2026, 0, 1)): OrderedMessage {
  return { message: textMessage('u1', text, { createdAt }), seq, state: seq === undefined ? 'pending' : 'delivered' };
}

describe('the segments a list shows', () => {
  it('is the newest and every older one loaded without a gap; segment 0, open for meta, waits for the ones between', () => {
    expect(shownSegments(3, new Set([0, 3]))).toEqual([3]);
    expect(shownSegments(3, new Set([0, 2, 3]))).toEqual([3, 2]);
    expect(shownSegments(3, new Set([0, 1, 2, 3]))).toEqual([3, 2, 1, 0]);
    expect(shownSegments(0, new Set([0]))).toEqual([0]);
    // The newest not loaded yet: nothing to show (never an older segment alone).
    expect(shownSegments(2, new Set([0, 1]))).toEqual([]);
  });

  it('opens the one before the oldest shown when the person scrolls past it, none at the beginning', () => {
    expect(previousSegment(3, new Set([0, 3]))).toBe(2);
    expect(previousSegment(3, new Set([0, 2, 3]))).toBe(1);
    expect(previousSegment(3, new Set([0, 1, 2, 3]))).toBeNull();
    expect(previousSegment(2, new Set([0]))).toBe(2);
  });
});

describe('merging segments', () => {
  it('is one list in the shared order, a late message of an older segment after everything numbered before it', () => {
    const [a, b, late, c, pending] = [ordered('a', 1), ordered('b', 2), ordered('late', 4), ordered('c', 3), ordered('pending', undefined)];
    const merged = mergeSegments([
      { segment: 1, messages: [c, pending] },
      { segment: 0, messages: [a, b, late] },
    ]);
    expect(merged.map((m) => [m.message.text, m.segment])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
      ['late', 0],
      ['pending', 1],
    ]);
  });

  it('shows a message found in two segments once: where it has its number, else in the newer', () => {
    const numbered = ordered('twice', 5);
    const unnumbered = { ...numbered, seq: undefined, state: 'pending' as const };
    expect(
      mergeSegments([
        { segment: 2, messages: [unnumbered] },
        { segment: 1, messages: [numbered] },
      ]),
    ).toEqual([{ ...numbered, segment: 1 }]);
    expect(
      mergeSegments([
        { segment: 1, messages: [unnumbered] },
        { segment: 2, messages: [unnumbered] },
      ]).map((m) => m.segment),
    ).toEqual([2]);
  });
});

describe('the device bound', () => {
  it('keeps the newest and the most recently opened older segments, and never one with an unsent change', () => {
    const lastOpened = new Map([
      [9, 100],
      [8, 90],
      [7, 80],
      [3, 10],
      [2, 20],
      [1, 5],
    ]);
    expect(segmentsToEvict(9, lastOpened, () => false, 2)).toEqual([1, 3, 2]);
    expect(segmentsToEvict(9, lastOpened, (segment) => segment === 3, 2)).toEqual([1, 2]);
    expect(segmentsToEvict(9, lastOpened, () => false, 8)).toEqual([]);
  });
});
