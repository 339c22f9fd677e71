import { describe, expect, it } from 'vitest';
import { convDocName, parseDocName, segmentDocName, segmentOf } from './doc-names.js';

describe('document names', () => {
  it('reads conv/<id> as segment 0 and conv/<id>~<n> as segment n of the same conversation', () => {
    expect(parseDocName('conv/abc')).toEqual({ kind: 'conv', id: 'abc', segment: 0 });
    expect(parseDocName('conv/abc~1')).toEqual({ kind: 'conv', id: 'abc', segment: 1 });
    expect(parseDocName('conv/abc~999999')).toEqual({ kind: 'conv', id: 'abc', segment: 999_999 });
    expect(parseDocName('user/u1')).toEqual({ kind: 'user', id: 'u1' });
  });

  it('names segment 0 as the conversation document, and every name round-trips', () => {
    expect(segmentDocName('abc', 0)).toBe(convDocName('abc'));
    for (const n of [0, 1, 7, 123_456]) {
      const parsed = parseDocName(segmentDocName('abc', n));
      expect(parsed && segmentOf(parsed)).toBe(n);
    }
  });

  it('refuses a second name for segment 0, leading zeros, signs, too large numbers, empty parts and segments of user documents', () => {
    for (const name of [
      'conv/abc~0',
      'conv/abc~01',
      'conv/abc~',
      'conv/abc~-1',
      'conv/abc~+1',
      'conv/abc~1.5',
      'conv/abc~1e3',
      'conv/abc~1000000',
      'conv/abc~1~2',
      'conv/~1',
      'user/abc~1',
      'conv/a b',
      'other/abc',
    ]) {
      expect(parseDocName(name), name).toBeNull();
    }
  });
});
