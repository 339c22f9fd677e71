/**
 * Friend requests, friendships, remarks and blocks. Every rule is checked
 * here, on the server: no friendship without an accepted request, nobody
 * reaches a person who blocked them, and a remark is visible to its author only.
 */
import type { FriendEntry, PersonSummary } from '../../shared/schema.js';
import { generateId } from '../ids/random-ids.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import { directConversationId, type ConversationService } from '../conversations/conversation-service.js';
import { ok, rateLimited, refuse, type Outcome } from '../outcome.js';
import type { FriendRequestRecord, UserRecord } from '../store/database.js';
import type { FriendStore } from '../store/friends.js';
import type { UserStore } from '../store/users.js';
import { personSummary, type SocialDocuments } from './user-documents.js';

/** The codes this service refuses with (http/error-status.ts gives their statuses). */
export type FriendError =
  | 'user_not_found'
  | 'cannot_befriend_self'
  | 'blocked'
  | 'already_friends'
  | 'request_pending'
  | 'request_not_found'
  | 'friend_not_found'
  | 'invalid_request'
  | 'rate_limited';

export interface RequestSent {
  id: string;
  /** True when the other person had already asked: the two are friends now. */
  accepted: boolean;
  conversationId?: string;
}

/** A person's pending requests, both ways, for the requests page. */
export interface RequestsView {
  incoming: Array<{ id: string; from: PersonSummary; note: string; createdAt: number }>;
  outgoing: Array<{ id: string; to: PersonSummary; note: string; createdAt: number }>;
}

export class FriendService {
  constructor(
    private readonly friends: FriendStore,
    private readonly users: UserStore,
    private readonly conversations: ConversationService,
    private readonly documents: SocialDocuments,
    /** Requests one person sends, over time (RATE_FRIEND_REQUESTS_PER_USER). */
    private readonly requestLimit: RateLimiter,
  ) {}

  /** Counts against the sender's request limit, then asks the person found by email or id. */
  async sendRequest(me: UserRecord, to: { email?: string; userId?: string }, note: string): Promise<Outcome<RequestSent, FriendError>> {
    const limit = await this.requestLimit.consume(me.id);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const target = to.email ? await this.users.byEmail(to.email) : await this.users.byId(to.userId ?? '');
    if (!target?.activated || target.guestOf) return refuse('user_not_found');
    if (target.id === me.id) return refuse('cannot_befriend_self');
    if (await this.friends.blockedEitherWay(me.id, target.id)) return refuse('blocked');
    if (await this.friends.areFriends(me.id, target.id)) return refuse('already_friends');
    if (await this.friends.pendingRequestBetween(me.id, target.id)) return refuse('request_pending');
    // They already asked me: sending one back is saying yes.
    const theirs = await this.friends.pendingRequestBetween(target.id, me.id);
    if (theirs) {
      const conversationId = await this.befriend(theirs, target, me);
      return ok({ id: theirs.id, accepted: true, conversationId });
    }
    const request: FriendRequestRecord = { id: generateId(), from: me.id, to: target.id, note, createdAt: Date.now() };
    await this.friends.addRequest(request);
    await this.documents.putRequest(me.id, {
      id: request.id,
      direction: 'outgoing',
      person: personSummary(target),
      note,
      createdAt: request.createdAt,
    });
    await this.documents.putRequest(target.id, {
      id: request.id,
      direction: 'incoming',
      person: personSummary(me),
      note,
      createdAt: request.createdAt,
    });
    return ok({ id: request.id, accepted: false });
  }

  /** Only the recipient accepts; both become friends and get their direct conversation. */
  async accept(me: UserRecord, requestId: string): Promise<Outcome<{ conversationId: string }, FriendError>> {
    const request = await this.friends.request(requestId);
    if (!request || request.to !== me.id) return refuse('request_not_found');
    const from = await this.users.byId(request.from);
    if (!from) return refuse('request_not_found');
    if (await this.friends.blockedEitherWay(me.id, from.id)) return refuse('blocked');
    return ok({ conversationId: await this.befriend(request, from, me) });
  }

  /** The recipient declines, or the sender withdraws. */
  async dismiss(me: UserRecord, requestId: string): Promise<Outcome<null, FriendError>> {
    const request = await this.friends.request(requestId);
    if (!request || (request.to !== me.id && request.from !== me.id)) return refuse('request_not_found');
    await this.dropRequest(request);
    return ok(null);
  }

  async setRemark(me: UserRecord, friendId: string, remark: string): Promise<Outcome<null, FriendError>> {
    const friendship = await this.friends.friendship(me.id, friendId);
    const friend = await this.users.byId(friendId);
    if (!friendship || !friend) return refuse('friend_not_found');
    const value = remark === '' ? undefined : remark;
    await this.friends.setRemark(me.id, friendId, value);
    await this.documents.putFriend(me.id, this.entry(friend, friendship.since, me.id, value));
    return ok(null);
  }

  /** Ends a friendship for both, and closes their direct conversation. */
  async unfriend(me: UserRecord, friendId: string): Promise<Outcome<null, FriendError>> {
    if (!(await this.friends.areFriends(me.id, friendId))) return refuse('friend_not_found');
    await this.endFriendship(me.id, friendId);
    return ok(null);
  }

  async block(me: UserRecord, userId: string): Promise<Outcome<null, FriendError>> {
    if (userId === me.id) return refuse('invalid_request');
    if (!(await this.users.byId(userId))) return refuse('user_not_found');
    await this.friends.block(me.id, userId, Date.now());
    if (await this.friends.areFriends(me.id, userId)) await this.endFriendship(me.id, userId);
    for (const request of [
      await this.friends.pendingRequestBetween(me.id, userId),
      await this.friends.pendingRequestBetween(userId, me.id),
    ]) {
      if (request) await this.dropRequest(request);
    }
    return ok(null);
  }

  async unblock(me: UserRecord, userId: string): Promise<Outcome<null, FriendError>> {
    await this.friends.unblock(me.id, userId);
    return ok(null);
  }

  async requestsOf(me: UserRecord): Promise<RequestsView> {
    const view = async (personId: string): Promise<PersonSummary> => {
      const person = await this.users.byId(personId);
      return person ? personSummary(person) : { id: personId, name: '' };
    };
    const incoming: RequestsView['incoming'] = [];
    const outgoing: RequestsView['outgoing'] = [];
    for (const r of await this.friends.requestsOf(me.id)) {
      if (r.to === me.id) incoming.push({ id: r.id, from: await view(r.from), note: r.note, createdAt: r.createdAt });
      else outgoing.push({ id: r.id, to: await view(r.to), note: r.note, createdAt: r.createdAt });
    }
    return { incoming, outgoing };
  }

  /** The people I blocked, with their names so I can recognise whom to unblock. */
  async blockedBy(me: UserRecord): Promise<PersonSummary[]> {
    const people: PersonSummary[] = [];
    for (const id of await this.friends.blockedBy(me.id)) {
      const user = await this.users.byId(id);
      if (user) people.push(personSummary(user));
    }
    return people;
  }

  /** A person's friends as they see them (with their own remarks). */
  async list(me: UserRecord): Promise<FriendEntry[]> {
    const result: FriendEntry[] = [];
    for (const [friendId, record] of await this.friends.friendsOf(me.id)) {
      const friend = await this.users.byId(friendId);
      if (friend) result.push(this.entry(friend, record.since, me.id, record.remark));
    }
    return result.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Rewrites how `user` appears in each friend's document (after a profile change). */
  async refreshFriendEntries(user: UserRecord): Promise<void> {
    for (const friendId of (await this.friends.friendsOf(user.id)).keys()) {
      const theirSide = await this.friends.friendship(friendId, user.id);
      if (theirSide) await this.documents.putFriend(friendId, this.entry(user, theirSide.since, friendId, theirSide.remark));
    }
  }

  private async befriend(request: FriendRequestRecord, from: UserRecord, to: UserRecord): Promise<string> {
    const now = Date.now();
    await this.friends.acceptRequest(request, now);
    await this.documents.removeRequest(from.id, request.id);
    await this.documents.removeRequest(to.id, request.id);
    const conversationId = await this.conversations.openDirect(from, to);
    await this.documents.putFriend(from.id, this.entry(to, now, from.id));
    await this.documents.putFriend(to.id, this.entry(from, now, to.id));
    return conversationId;
  }

  /**
   * A person deleting their account: every friendship ends for both (the
   * direct conversation stays with the friend, read-only), every request to or from them
   * goes, and their blocks are lifted (blocks of them stay: those are other people's).
   */
  async forgetAccount(me: UserRecord): Promise<void> {
    for (const friendId of (await this.friends.friendsOf(me.id)).keys()) {
      await this.friends.unfriend(me.id, friendId);
      await this.documents.removeFriend(me.id, friendId);
      await this.documents.removeFriend(friendId, me.id);
      await this.conversations.endDirectOfDeleted(me.id, friendId);
    }
    for (const request of await this.friends.requestsOf(me.id)) await this.dropRequest(request);
    for (const blocked of await this.friends.blockedBy(me.id)) await this.friends.unblock(me.id, blocked);
  }

  private async endFriendship(a: string, b: string): Promise<void> {
    await this.friends.unfriend(a, b);
    await this.documents.removeFriend(a, b);
    await this.documents.removeFriend(b, a);
    await this.conversations.closeDirect(a, b);
  }

  private async dropRequest(request: FriendRequestRecord): Promise<void> {
    await this.friends.removeRequest(request);
    await this.documents.removeRequest(request.from, request.id);
    await this.documents.removeRequest(request.to, request.id);
  }

  private entry(friend: UserRecord, since: number, ownerId: string, remark?: string): FriendEntry {
    const entry: FriendEntry = { ...personSummary(friend), since, conversationId: directConversationId(ownerId, friend.id) };
    if (remark) entry.remark = remark;
    return entry;
  }
}
