/**
 * Friendships, pending friend requests and blocks: the calls the services
 * make of the store. A friendship has two sides, each with its owner's
 * private remark. `LevelFriendStore` (level-friends.ts) is the embedded one,
 * `PostgresFriendStore` (postgres/postgres-friends.ts) the cluster's; both
 * pass friends.contract.ts.
 */
import type { FriendRecord, FriendRequestRecord } from './database.js';

export interface FriendStore {
  /** `userId`'s side of the friendship with `friendId`. */
  friendship(userId: string, friendId: string): Promise<FriendRecord | undefined>;
  areFriends(a: string, b: string): Promise<boolean>;
  /** Friend ids of a person with their side of the friendship. */
  friendsOf(userId: string): Promise<Map<string, FriendRecord>>;
  /** Turns an accepted request into a friendship on both sides and removes the request, all or nothing. */
  acceptRequest(request: FriendRequestRecord, now: number): Promise<void>;
  /** Sets (or, with undefined, removes) `userId`'s private remark on a friend; nothing when they are not friends. */
  setRemark(userId: string, friendId: string, remark: string | undefined): Promise<void>;
  /** Ends the friendship on both sides. */
  unfriend(a: string, b: string): Promise<void>;
  request(id: string): Promise<FriendRequestRecord | undefined>;
  pendingRequestBetween(from: string, to: string): Promise<FriendRequestRecord | undefined>;
  /** Stores a pending request; the caller checked there is none in its direction. */
  addRequest(request: FriendRequestRecord): Promise<void>;
  removeRequest(request: FriendRequestRecord): Promise<void>;
  /** Pending requests a person sent or received. */
  requestsOf(userId: string): Promise<FriendRequestRecord[]>;
  hasBlocked(blocker: string, blocked: string): Promise<boolean>;
  /** Whether either person blocked the other. */
  blockedEitherWay(a: string, b: string): Promise<boolean>;
  block(blocker: string, blocked: string, now: number): Promise<void>;
  unblock(blocker: string, blocked: string): Promise<void>;
  /** Ids of the people `blocker` blocked. */
  blockedBy(blocker: string): Promise<string[]>;
}
