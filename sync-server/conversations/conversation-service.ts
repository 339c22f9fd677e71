/**
 * Direct conversations and the conversation list. The store says who may
 * open a conversation; `ConversationDocuments` writes what members need
 * offline. A direct conversation belongs to a pair for good: when they stop
 * being friends it is closed for both, and it comes back, history and all,
 * if they become friends again. One-to-one chats are between friends only.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { ConversationView } from '../../shared/api.js';
import { ok, refuse, type Outcome } from '../outcome.js';
import type { SocketRevoker } from '../relay/revocation.js';
import type { ConversationStore } from '../store/conversations.js';
import type { UserRecord } from '../store/database.js';
import type { FriendStore } from '../store/friends.js';
import type { UserStore } from '../store/users.js';
import { titleFor, type ConversationDocuments } from './conversation-documents.js';

/** The same two people always get the same direct conversation, whoever starts it. */
export function directConversationId(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `d${encodeHexLowerCase(sha256(new TextEncoder().encode(`${first}:${second}`))).slice(0, 32)}`;
}

export type DirectChatError = 'user_not_found' | 'cannot_chat_with_self' | 'not_friends';

export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly users: UserStore,
    private readonly friends: FriendStore,
    private readonly documents: ConversationDocuments,
    /** Cuts off sockets (on every relay, in a cluster). */
    private readonly revoker: SocketRevoker,
  ) {}

  /** A person starts (or reopens) their one-to-one chat with a friend, found by email. */
  async startDirect(me: UserRecord, email: string): Promise<Outcome<{ id: string }, DirectChatError>> {
    const other = await this.users.byEmail(email);
    if (!other?.activated) return refuse('user_not_found');
    if (other.id === me.id) return refuse('cannot_chat_with_self');
    if (!(await this.friends.areFriends(me.id, other.id))) return refuse('not_friends');
    return ok({ id: await this.openDirect(me, other) });
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    return this.store.isMember(conversationId, userId);
  }

  /** Returns the direct conversation of two people, creating or reopening it. */
  async openDirect(me: UserRecord, other: UserRecord): Promise<string> {
    const id = directConversationId(me.id, other.id);
    const now = Date.now();
    const existing = await this.store.byId(id);
    if (!existing) {
      await this.store.create(
        { id, kind: 'direct', createdAt: now, pair: [me.id, other.id].sort() as [string, string] },
        new Map([
          [me.id, { role: 'member', joinedAt: now }],
          [other.id, { role: 'member', joinedAt: now }],
        ]),
      );
    } else {
      const members = await this.store.members(id);
      const missing = new Map([me, other].filter((u) => !members.has(u.id)).map((u) => [u.id, { role: 'member' as const, joinedAt: now }]));
      if (missing.size > 0) await this.store.putMembers(id, missing);
    }
    // Written every time: it also repairs a list entry lost to a crash between the steps above.
    await this.documents.refresh(id);
    return id;
  }

  /** Ends two people's direct conversation: neither can open it, and it leaves both lists. */
  async closeDirect(a: string, b: string): Promise<void> {
    const id = directConversationId(a, b);
    if (!(await this.store.byId(id))) return;
    await this.store.removeMembers(id, [a, b]);
    for (const userId of [a, b]) {
      this.revoker.revoke({ kind: 'member-removed', conversationId: id, userId });
      await this.documents.removeFromList(userId, id);
    }
  }

  /**
   * A direct conversation whose other person deleted their account: it
   * leaves the deleted person's list and stays in `otherId`'s, ended and
   * read-only, with what was said (unfriending takes it out of both lists instead).
   */
  async endDirectOfDeleted(deletedId: string, otherId: string): Promise<void> {
    const id = directConversationId(deletedId, otherId);
    if (!(await this.store.byId(id))) return;
    await this.store.removeMembers(id, [deletedId, otherId]);
    for (const userId of [deletedId, otherId]) this.revoker.revoke({ kind: 'member-removed', conversationId: id, userId });
    await this.documents.removeFromList(deletedId, id);
    await this.documents.endForMember(otherId, id, 'account-deleted');
  }

  /** The conversations a person belongs to, newest first. */
  async listFor(user: UserRecord): Promise<ConversationView[]> {
    const views: ConversationView[] = [];
    for (const id of await this.store.conversationIdsOf(user.id)) {
      const conversation = await this.store.byId(id);
      if (!conversation) continue;
      const members = await this.memberRecords(id);
      views.push({
        id,
        kind: conversation.kind,
        title: titleFor(conversation, members, user.id),
        members: members.map((m) => ({ id: m.id, name: m.name })),
        createdAt: conversation.createdAt,
      });
    }
    return views.sort((a, b) => b.createdAt - a.createdAt);
  }

  private async memberRecords(conversationId: string): Promise<UserRecord[]> {
    const records: UserRecord[] = [];
    for (const userId of (await this.store.members(conversationId)).keys()) {
      const user = await this.users.byId(userId);
      if (user) records.push(user);
    }
    return records;
  }
}
