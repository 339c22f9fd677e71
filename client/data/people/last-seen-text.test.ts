/** A friend's presence in words (last-seen-text.ts), in English: the source language. */
import { describe, expect, it } from 'vitest';
import { lastSeenText } from './last-seen-text.js';

const now = new Date(2026, 11, 6, 15, 30);
const at = (...parts: [number, number, number, number, number, number?]) => ({
  online: false as const,
  lastSeenAt: new Date(...parts).getTime(),
});

describe('lastSeenText', () => {
  it('says online, just now, minutes ago, today, yesterday, then the date', () => {
    expect(lastSeenText({ online: true }, now)).toBe('online');
    expect(lastSeenText(at(2026, 11, 6, 15, 29, 30), now)).toBe('last seen just now');
    expect(lastSeenText(at(2026, 11, 6, 15, 25), now)).toBe('last seen 5 minutes ago');
    expect(lastSeenText(at(2026, 11, 6, 9, 5), now)).toBe('last seen today at 09:05 AM');
    expect(lastSeenText(at(2026, 11, 5, 22, 40), now)).toBe('last seen yesterday at 10:40 PM');
    expect(lastSeenText(at(2026, 10, 28, 8, 0), now)).toBe('last seen Nov 28');
    expect(lastSeenText(at(2025, 2, 3, 8, 0), now)).toBe('last seen Mar 3, 2025');
  });
});
