import { describe, expect, it } from 'vitest';
import { groupReactions, reactorNames } from './reactions.js';

describe('groupReactions', () => {
  it('groups keys by message and emoji, the same way on every replica', () => {
    const keys = ['m1 👍 bob', 'm2 ❤️ me', 'm1 👍 me', 'm1 😂 bob', 'bad key', 'm1 👍'];
    const grouped = groupReactions(keys);
    expect(grouped.get('m1')).toEqual([
      { emoji: '👍', userIds: ['bob', 'me'] },
      { emoji: '😂', userIds: ['bob'] },
    ]);
    expect(grouped.get('m2')).toEqual([{ emoji: '❤️', userIds: ['me'] }]);
    expect(groupReactions([...keys].reverse())).toEqual(grouped);
  });
});

describe('reactorNames', () => {
  const names: Record<string, string> = { a: 'Alice', b: 'Bob', c: 'Carol' };
  it('says "You" for me and shortens long lists', () => {
    expect(reactorNames(['me', 'a'], (id) => names[id] ?? '?', 'me')).toBe('You and Alice');
    expect(reactorNames(['a', 'b', 'c'], (id) => names[id] ?? '?', 'me', 2)).toBe('Alice, Bob and 1 others');
  });
});
