/**
 * Friendships, pending friend requests and blocks in LevelDB (friends.ts).
 * A friendship is stored on both sides (`a!b` and `b!a`), each side holding
 * its owner's private remark; requests are indexed for both people and by
 * direction so there is at most one pending request from one person to another.
 */
import type { Database, FriendRecord, FriendRequestRecord } from './database.js';
import type { FriendStore } from './friends.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';
import { entriesOf, indexedRecordsOf } from './owner-reads.js';

export class LevelFriendStore implements FriendStore {
  constructor(private readonly db: Database) {}

  async friendship(userId: string, friendId: string): Promise<FriendRecord | undefined> {
    return this.db.friends.get(compositeKey(userId, friendId));
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return (await this.friendship(a, b)) !== undefined;
  }

  /** Friend ids of a person with their side of the friendship. */
  async friendsOf(userId: string): Promise<Map<string, FriendRecord>> {
    return entriesOf<FriendRecord>(this.db.friends, userId);
  }

  /** Turns an accepted request into a friendship on both sides, in one batch. */
  async acceptRequest(request: FriendRequestRecord, now: number): Promise<void> {
    await this.db.root
      .batch()
      .put(compositeKey(request.from, request.to), { since: now }, { sublevel: this.db.friends })
      .put(compositeKey(request.to, request.from), { since: now }, { sublevel: this.db.friends })
      .del(request.id, { sublevel: this.db.requests })
      .del(compositeKey(request.from, request.id), { sublevel: this.db.requestsOf })
      .del(compositeKey(request.to, request.id), { sublevel: this.db.requestsOf })
      .del(compositeKey(request.from, request.to), { sublevel: this.db.requestPairs })
      .write();
  }

  async setRemark(userId: string, friendId: string, remark: string | undefined): Promise<void> {
    const record = await this.friendship(userId, friendId);
    if (!record) return;
    await this.db.friends.put(compositeKey(userId, friendId), { ...record, remark });
  }

  async unfriend(a: string, b: string): Promise<void> {
    await this.db.root
      .batch()
      .del(compositeKey(a, b), { sublevel: this.db.friends })
      .del(compositeKey(b, a), { sublevel: this.db.friends })
      .write();
  }

  async request(id: string): Promise<FriendRequestRecord | undefined> {
    return this.db.requests.get(id);
  }

  async pendingRequestBetween(from: string, to: string): Promise<FriendRequestRecord | undefined> {
    const id = await this.db.requestPairs.get(compositeKey(from, to));
    return id === undefined ? undefined : this.db.requests.get(id);
  }

  async addRequest(request: FriendRequestRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(request.id, request, { sublevel: this.db.requests })
      .put(compositeKey(request.from, request.id), true, { sublevel: this.db.requestsOf })
      .put(compositeKey(request.to, request.id), true, { sublevel: this.db.requestsOf })
      .put(compositeKey(request.from, request.to), request.id, { sublevel: this.db.requestPairs })
      .write();
  }

  async removeRequest(request: FriendRequestRecord): Promise<void> {
    await this.db.root
      .batch()
      .del(request.id, { sublevel: this.db.requests })
      .del(compositeKey(request.from, request.id), { sublevel: this.db.requestsOf })
      .del(compositeKey(request.to, request.id), { sublevel: this.db.requestsOf })
      .del(compositeKey(request.from, request.to), { sublevel: this.db.requestPairs })
      .write();
  }

  /** Pending requests a person sent or received. */
  async requestsOf(userId: string): Promise<FriendRequestRecord[]> {
    return indexedRecordsOf<FriendRequestRecord>(this.db.requestsOf, this.db.requests, userId);
  }

  async hasBlocked(blocker: string, blocked: string): Promise<boolean> {
    return (await this.db.blocks.get(compositeKey(blocker, blocked))) !== undefined;
  }

  /** Whether either person blocked the other. */
  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    return (await this.hasBlocked(a, b)) || (await this.hasBlocked(b, a));
  }

  async block(blocker: string, blocked: string, now: number): Promise<void> {
    await this.db.blocks.put(compositeKey(blocker, blocked), { since: now });
  }

  async unblock(blocker: string, blocked: string): Promise<void> {
    await this.db.blocks.del(compositeKey(blocker, blocked));
  }

  async blockedBy(blocker: string): Promise<string[]> {
    const prefix = keyPrefix(blocker);
    const ids: string[] = [];
    for await (const key of this.db.blocks.keys(prefixRange(prefix))) ids.push(key.slice(prefix.length));
    return ids;
  }
}
