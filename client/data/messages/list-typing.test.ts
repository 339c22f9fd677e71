/** Who types where, as the list reads it from my user document's presence (list-typing.ts): merged, malformed entries skipped. */
import { describe, expect, it } from 'vitest';
import { listTypingOf } from './list-typing.js';

describe('listTypingOf', () => {
  it('merges the states and keeps only well-formed typers', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { typingIn: { c1: [{ id: 'ada', name: 'Ada' }, { id: 7, name: 'x' }, null], c2: 'nonsense' } }],
      [2, { typing: true }],
      [3, { typingIn: { c1: [{ id: 'bob', name: 'Bob' }], c3: [{ id: 'eve' }] } }],
      [4, { typingIn: null }],
    ]);
    expect(listTypingOf(states)).toEqual({
      c1: [
        { id: 'ada', name: 'Ada' },
        { id: 'bob', name: 'Bob' },
      ],
    });
    expect(listTypingOf(new Map())).toEqual({});
  });
});
