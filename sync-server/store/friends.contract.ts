/**
 * The one test suite every friend store passes (friends.ts). Call
 * `friendStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { FriendRequestRecord } from './database.js';
import type { FriendStore } from './friends.js';

export interface FriendStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<FriendStore> | FriendStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: FriendStore): Promise<FriendStore> | FriendStore;
}

function request(id: string, from: string, to: string): FriendRequestRecord {
  return { id, from, to, note: `hi from ${from}`, createdAt: 5 };
}

export function friendStoreContract(name: string, subject: FriendStoreUnderTest): void {
  describe(`${name} friend store`, () => {
    it('keeps a pending request for both people and by direction, until it is removed', async () => {
      const friends = await subject.open();
      await friends.addRequest(request('r1', 'u1', 'u2'));
      await friends.addRequest(request('r2', 'u3', 'u1'));
      const other = await subject.sameStorage(friends);
      expect(await other.request('r1')).toEqual(request('r1', 'u1', 'u2'));
      expect(await other.pendingRequestBetween('u1', 'u2')).toEqual(request('r1', 'u1', 'u2'));
      expect(await other.pendingRequestBetween('u2', 'u1')).toBeUndefined();
      expect((await other.requestsOf('u1')).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
      expect((await other.requestsOf('u2')).map((r) => r.id)).toEqual(['r1']);
      await friends.removeRequest(request('r1', 'u1', 'u2'));
      expect(await other.request('r1')).toBeUndefined();
      expect(await other.pendingRequestBetween('u1', 'u2')).toBeUndefined();
      expect((await other.requestsOf('u1')).map((r) => r.id)).toEqual(['r2']);
    });

    it('turns an accepted request into a friendship on both sides, and the request is gone', async () => {
      const friends = await subject.open();
      await friends.addRequest(request('r1', 'u1', 'u2'));
      await friends.acceptRequest(request('r1', 'u1', 'u2'), 42);
      const other = await subject.sameStorage(friends);
      expect(await other.areFriends('u1', 'u2')).toBe(true);
      expect(await other.areFriends('u2', 'u1')).toBe(true);
      expect(await other.areFriends('u1', 'u3')).toBe(false);
      expect(await other.friendship('u2', 'u1')).toEqual({ since: 42 });
      expect([...(await other.friendsOf('u1'))]).toEqual([['u2', { since: 42 }]]);
      expect(await other.request('r1')).toBeUndefined();
      expect(await other.requestsOf('u2')).toEqual([]);
    });

    it('keeps each side’s remark private to it, removes it on undefined, and sets none on strangers', async () => {
      const friends = await subject.open();
      await friends.acceptRequest(request('r1', 'u1', 'u2'), 1);
      await friends.setRemark('u1', 'u2', 'climbing partner');
      await friends.setRemark('u1', 'u3', 'not a friend');
      const other = await subject.sameStorage(friends);
      expect(await other.friendship('u1', 'u2')).toEqual({ since: 1, remark: 'climbing partner' });
      expect(await other.friendship('u2', 'u1')).toEqual({ since: 1 });
      expect(await other.friendship('u1', 'u3')).toBeUndefined();
      await friends.setRemark('u1', 'u2', undefined);
      expect(await other.friendship('u1', 'u2')).toEqual({ since: 1 });
    });

    it('ends a friendship on both sides, and keeps others apart when one id starts another', async () => {
      const friends = await subject.open();
      await friends.acceptRequest(request('r1', 'u1', 'u2'), 1);
      await friends.acceptRequest(request('r2', 'u1', 'u20'), 1);
      await friends.acceptRequest(request('r3', 'u10', 'u2'), 1);
      await friends.unfriend('u2', 'u1');
      const other = await subject.sameStorage(friends);
      expect(await other.areFriends('u1', 'u2')).toBe(false);
      expect(await other.areFriends('u2', 'u1')).toBe(false);
      expect([...(await other.friendsOf('u1')).keys()]).toEqual(['u20']);
      expect([...(await other.friendsOf('u2')).keys()]).toEqual(['u10']);
    });

    it('blocks one way, sees it either way, and unblocks', async () => {
      const friends = await subject.open();
      await friends.block('u1', 'u2', 1);
      await friends.block('u1', 'u3', 2);
      await friends.block('u10', 'u1', 3);
      const other = await subject.sameStorage(friends);
      expect(await other.hasBlocked('u1', 'u2')).toBe(true);
      expect(await other.hasBlocked('u2', 'u1')).toBe(false);
      expect(await other.blockedEitherWay('u2', 'u1')).toBe(true);
      expect(await other.blockedEitherWay('u2', 'u3')).toBe(false);
      expect((await other.blockedBy('u1')).sort()).toEqual(['u2', 'u3']);
      await friends.unblock('u1', 'u2');
      expect(await other.blockedEitherWay('u1', 'u2')).toBe(false);
      expect(await other.blockedBy('u1')).toEqual(['u3']);
    });
  });
}
