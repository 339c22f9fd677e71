/**
 * Creating conversations and listing them. The store holds who may open a
 * conversation; the server also writes what members need to render it
 * offline: `meta` in the conversation document and an entry in each
 * member's `user/<id>` document (their conversation list).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { ConversationView } from '../../shared/api.js';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { conversationsOf, metaOf, type ConversationSummary, type MemberInfo } from '../../shared/schema.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { ConversationStore } from '../store/conversations.js';
import type { ConversationRecord, UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

/** The same two people always get the same direct conversation, whoever starts it. */
export function directConversationId(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return 'd' + encodeHexLowerCase(sha256(new TextEncoder().encode(`${first}:${second}`))).slice(0, 32);
}

export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly users: UserStore,
    private readonly registry: DocRegistry,
  ) {}

  /** Returns the direct conversation of two people, creating it the first time. */
  async openDirect(me: UserRecord, other: UserRecord): Promise<string> {
    const id = directConversationId(me.id, other.id);
    let conversation = await this.store.byId(id);
    if (!conversation) {
      const now = Date.now();
      conversation = { id, kind: 'direct', createdAt: now, pair: [me.id, other.id].sort() as [string, string] };
      await this.store.create(
        conversation,
        new Map([
          [me.id, { role: 'member', joinedAt: now }],
          [other.id, { role: 'member', joinedAt: now }],
        ]),
      );
    }
    // Written every time: it repairs a list entry lost to a crash between the steps above.
    await this.writeDocuments(conversation, [me, other]);
    return id;
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

  private async writeDocuments(conversation: ConversationRecord, members: UserRecord[]): Promise<void> {
    const memberships = await this.store.members(conversation.id);
    const metaMembers: Record<string, MemberInfo> = {};
    for (const user of members) {
      metaMembers[user.id] = { name: user.name, role: memberships.get(user.id)?.role ?? 'member' };
    }
    await this.registry.change(convDocName(conversation.id), (doc) => {
      const meta = metaOf(doc);
      if (meta.get('kind') !== conversation.kind) meta.set('kind', conversation.kind);
      if (JSON.stringify(meta.get('members')) !== JSON.stringify(metaMembers)) meta.set('members', metaMembers);
    });
    for (const user of members) {
      const summary: ConversationSummary = {
        id: conversation.id,
        kind: conversation.kind,
        title: titleFor(conversation, members, user.id),
        createdAt: conversation.createdAt,
      };
      const peer = members.find((m) => m.id !== user.id);
      if (conversation.kind === 'direct' && peer) summary.peerId = peer.id;
      await this.registry.change(userDocName(user.id), (doc) => {
        const list = conversationsOf(doc);
        if (JSON.stringify(list.get(conversation.id)) !== JSON.stringify(summary)) list.set(conversation.id, summary);
      });
    }
  }
}

function titleFor(conversation: ConversationRecord, members: UserRecord[], viewerId: string): string {
  const others = members.filter((m) => m.id !== viewerId).map((m) => m.name);
  return others.length > 0 ? others.join(', ') : 'Just you';
}
