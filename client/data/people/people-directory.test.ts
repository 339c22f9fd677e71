import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { friendsOf, profileOf, requestsOf, type FriendEntry, type FriendRequestEntry } from '../../../shared/schema.js';
import { PeopleDirectory, requestLists, sortedFriends } from './people-directory.js';

const request = (id: string, direction: 'incoming' | 'outgoing', createdAt: number, name = id): FriendRequestEntry => ({
  id,
  direction,
  person: { id: `u-${id}`, name },
  note: '',
  createdAt,
});

const friend = (id: string, name: string, remark?: string): FriendEntry => ({ id, name, remark, since: 1, conversationId: `d-${id}` });

describe('requestLists', () => {
  it('splits incoming from outgoing, newest first', () => {
    const lists = requestLists([request('r1', 'incoming', 10), request('r2', 'outgoing', 20), request('r3', 'incoming', 30)]);
    expect(lists.incoming.map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(lists.outgoing.map((r) => r.id)).toEqual(['r2']);
  });

  it('skips entries that are not requests', () => {
    const broken = [{ id: 'x', direction: 'sideways' }, null, { id: 'y', direction: 'incoming' }] as unknown as FriendRequestEntry[];
    expect(requestLists(broken)).toEqual({ incoming: [], outgoing: [] });
  });
});

describe('sortedFriends', () => {
  it('sorts by the name I see, ignoring case and accents', () => {
    const friends = [friend('1', 'zoe'), friend('2', 'Émile'), friend('3', 'bob', 'Anna'), friend('4', 'Eve')];
    expect(sortedFriends(friends, new Map([['3', 'Anna']])).map((f) => f.id)).toEqual(['3', '2', '4', '1']);
  });
});

describe('PeopleDirectory', () => {
  it('reads friends, requests and profile from the user document, live', () => {
    const doc = new Y.Doc();
    const directory = new PeopleDirectory(doc);
    let changes = 0;
    directory.addEventListener('change', () => changes++);
    expect(directory.snapshot().friends).toEqual([]);

    doc.transact(() => {
      friendsOf(doc).set('b', friend('b', 'Ben', 'Benny'));
      requestsOf(doc).set('r1', request('r1', 'incoming', 5, 'Cat'));
      profileOf(doc).set('name', 'Ann');
    });
    const first = directory.snapshot();
    expect(changes).toBeGreaterThan(0);
    expect(first.friends.map((f) => f.id)).toEqual(['b']);
    expect(first.friendById.get('b')?.conversationId).toBe('d-b');
    expect(first.remarks.get('b')).toBe('Benny');
    expect(first.requests.incoming.map((r) => r.person.name)).toEqual(['Cat']);
    expect(first.profile.name).toBe('Ann');
    expect(directory.snapshot()).toBe(first);

    // A change elsewhere keeps the remarks map, so views keyed on it stay put.
    requestsOf(doc).delete('r1');
    const second = directory.snapshot();
    expect(second).not.toBe(first);
    expect(second.requests.incoming).toEqual([]);
    expect(second.remarks).toBe(first.remarks);

    friendsOf(doc).set('b', friend('b', 'Ben', 'Big Ben'));
    expect(directory.snapshot().remarks.get('b')).toBe('Big Ben');
    directory.close();
  });
});
