import { describe, expect, it } from 'vitest';
import type { FriendEntry } from '../../../shared/schema.js';
import { findFriend } from './friend-lookup.js';

const friend = (id: string, name: string): FriendEntry => ({ id, name, since: 1, conversationId: `d-${id}` });
const friends = [friend('b', 'Ben'), friend('z', 'Zoé'), friend('x', 'Sam'), friend('y', 'Sam')];

describe('findFriend', () => {
  it('finds by remark first, then by name, ignoring case and accents', () => {
    const remarks = new Map([['z', 'Boss']]);
    expect(findFriend(friends, remarks, ' boss ')?.id).toBe('z');
    expect(findFriend(friends, remarks, 'ZOE')?.id).toBe('z');
    expect(findFriend(friends, remarks, 'ben')?.id).toBe('b');
  });

  it('finds nobody when the name is ambiguous, partial or empty', () => {
    expect(findFriend(friends, new Map(), 'Sam')).toBeUndefined();
    expect(findFriend(friends, new Map(), 'Be')).toBeUndefined();
    expect(findFriend(friends, new Map(), '  ')).toBeUndefined();
  });
});
