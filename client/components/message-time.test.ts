import { nothing } from 'lit';
import { describe, expect, it } from 'vitest';
import { dayLabel, formatFullTime, formatTime, renderTime, shownDate } from './message-time.js';

/** What old documents may hold: numbers outside Date's range, before the rules, and not numbers at all. */
const UNSHOWABLE: unknown[] = [1e300, -1e300, 8.64e15 + 1, Number.NaN, Infinity, -1, 0.5, '1700000000000', null, undefined, {}, []];

describe('message times (issue 20: a time from an old document never breaks rendering)', () => {
  it('shows a plausible time', () => {
    const time = Date.UTC(2026, 11, 6, 10, 30);
    expect(shownDate(time)?.getTime()).toBe(time);
    expect(formatTime(time)).not.toBe('');
    expect(formatFullTime(time)).not.toBe('');
    expect(renderTime(time)).not.toBe(nothing);
    expect(dayLabel(time, new Date(time))).toBe('Today');
    expect(dayLabel(time, new Date(time + 24 * 3600_000))).toBe('Yesterday');
  });

  it.each(UNSHOWABLE.map((value) => [String(value), value]))('shows nothing for %s, and does not throw', (_name, value) => {
    expect(shownDate(value)).toBeUndefined();
    expect(formatTime(value)).toBe('');
    expect(formatFullTime(value)).toBe('');
    expect(dayLabel(value)).toBeUndefined();
    expect(renderTime(value)).toBe(nothing);
  });
});
