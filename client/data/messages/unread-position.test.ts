/** Where a conversation's unread part starts and how long it is. */
import { describe, expect, it } from 'vitest';
import { firstUnreadId, unreadIn, type UnreadCandidate } from './unread-position.js';

function entry(id: string, author: string, seq: number | undefined, deleted = false): UnreadCandidate {
  return { message: { id, author, deleted }, seq };
}

describe('firstUnreadId and unreadIn', () => {
  const list = [
    entry('m1', 'bob', 1),
    entry('m2', 'me', 2),
    entry('m3', 'bob', 3, true),
    entry('m4', 'bob', 4),
    entry('m5', 'me', undefined),
  ];

  it('start after my read marker, at the first message by someone else that is still there', () => {
    expect(firstUnreadId(list, 1, 'me')).toBe('m4');
    expect(unreadIn(list, 1, 'me')).toBe(1);
  });

  it('count every unread message, not just the newest', () => {
    expect(firstUnreadId(list, 0, 'me')).toBe('m1');
    expect(unreadIn(list, 0, 'me')).toBe(2);
  });

  it('find nothing when everything is read, or only my own and unnumbered messages follow', () => {
    expect(firstUnreadId(list, 4, 'me')).toBeUndefined();
    expect(unreadIn(list, 4, 'me')).toBe(0);
    expect(firstUnreadId([entry('x', 'bob', undefined)], 0, 'me')).toBeUndefined();
  });
});
