/**
 * What the server writes into documents when conversations change, so that
 * members can render them offline: `meta` of the conversation (kind, title,
 * members with names, pictures and roles), an entry in each member's
 * `user/<id>` list, and system messages ("Alice joined").
 */
import { englishSystemText, type SystemEvent } from '../../shared/system-events.js';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { newMessageId } from '../../shared/message-id.js';
import {
  conversationsOf,
  formerMembersOf,
  membersOf,
  messagesOf,
  metaOf,
  type ConversationSummary,
  type MemberInfo,
  type Message,
} from '../../shared/schema.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { ConversationStore } from '../store/conversations.js';
import type { ConversationRecord, UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';
import { authorsWithoutNames, formerMembersAfter } from './former-members.js';

/** The author of messages the server writes itself. */
export const SYSTEM_AUTHOR = 'system';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class ConversationDocuments {
  constructor(
    private readonly registry: DocRegistry,
    private readonly store: ConversationStore,
    private readonly users: UserStore,
  ) {}

  /** Rewrites `meta` and every member's list entry from the store (idempotent). */
  async refresh(conversationId: string): Promise<void> {
    const conversation = await this.store.byId(conversationId);
    if (!conversation) return;
    const memberships = await this.store.members(conversationId);
    const members: UserRecord[] = [];
    for (const userId of memberships.keys()) {
      const user = await this.users.byId(userId);
      if (user) members.push(user);
    }
    const metaMembers: Record<string, MemberInfo> = {};
    for (const user of members) {
      const info: MemberInfo = { name: user.name, role: memberships.get(user.id)?.role ?? 'member' };
      if (user.avatar) info.avatar = user.avatar;
      metaMembers[user.id] = info;
    }
    let unnamedAuthors: string[] = [];
    await this.registry.change(convDocName(conversationId), (doc) => {
      const meta = metaOf(doc);
      const formerMembers = formerMembersAfter(membersOf(doc), formerMembersOf(doc), metaMembers);
      const wanted: Record<string, unknown> = {
        kind: conversation.kind,
        members: metaMembers,
        formerMembers: Object.keys(formerMembers).length > 0 ? formerMembers : undefined,
        title: conversation.kind === 'group' || conversation.kind === 'robot' ? (conversation.title ?? '') : undefined,
        notice: conversation.notice,
        avatar: conversation.avatar,
      };
      for (const [key, value] of Object.entries(wanted)) {
        if (value === undefined) {
          if (meta.has(key)) meta.delete(key);
        } else if (!sameJson(meta.get(key), value)) {
          meta.set(key, value);
        }
      }
      unnamedAuthors = authorsWithoutNames(doc, SYSTEM_AUTHOR);
    });
    if (unnamedAuthors.length > 0) await this.nameFormerAuthors(conversationId, unnamedAuthors);
    await this.mirrorMeta(conversationId);
    for (const user of members) {
      // A widget conversation nobody wrote in is the visitor's own until they write.
      if (conversation.hiddenUntilWritten && !user.guestOf) continue;
      await this.putListEntry(user.id, summaryFor(conversation, members, user.id));
    }
  }

  /** Documents from before `formerMembers` lost the names of people who left: found again in the account store. */
  private async nameFormerAuthors(conversationId: string, authorIds: string[]): Promise<void> {
    const found: Record<string, MemberInfo> = {};
    for (const id of authorIds) {
      const user = await this.users.byId(id);
      if (!user) continue;
      found[id] = user.avatar ? { name: user.name, avatar: user.avatar, role: 'member' } : { name: user.name, role: 'member' };
    }
    if (Object.keys(found).length === 0) return;
    await this.registry.change(convDocName(conversationId), (doc) => {
      metaOf(doc).set('formerMembers', { ...formerMembersOf(doc), ...found });
    });
  }

  /**
   * A conversation in history segments (docs/SEGMENTS.md): the newest
   * segment holds a copy of `meta`, so the server's participants (robot,
   * push, heads) read members and kind where the messages arrive. Clients
   * read `meta` from `conv/<id>`.
   */
  private async mirrorMeta(conversationId: string): Promise<void> {
    const newest = await this.registry.segments.newestDocName(conversationId);
    if (newest === convDocName(conversationId)) return;
    const head = await this.registry.acquire(convDocName(conversationId));
    let meta: Record<string, unknown>;
    try {
      meta = metaOf(head.doc).toJSON();
    } finally {
      this.registry.release(head);
    }
    await this.registry.change(newest, (doc) => {
      const copy = metaOf(doc);
      for (const key of [...copy.keys()]) if (!(key in meta)) copy.delete(key);
      for (const [key, value] of Object.entries(meta)) if (!sameJson(copy.get(key), value)) copy.set(key, value);
    });
  }

  /** Marks the conversation as ended in a former member's list (kept there, read-only). */
  async endForMember(userId: string, conversationId: string, ended: NonNullable<ConversationSummary['ended']>): Promise<void> {
    await this.registry.change(userDocName(userId), (doc) => {
      const list = conversationsOf(doc);
      const entry = list.get(conversationId);
      if (entry && entry.ended !== ended) list.set(conversationId, { ...entry, ended });
    });
  }

  /** Takes the conversation out of a person's list altogether. */
  async removeFromList(userId: string, conversationId: string): Promise<void> {
    await this.registry.change(userDocName(userId), (doc) => {
      const list = conversationsOf(doc);
      if (list.has(conversationId)) list.delete(conversationId);
    });
  }

  /**
   * Writes a message authored by the server ("Bob joined the group"), into the newest segment (docs/SEGMENTS.md):
   * the event for clients to word in their reader's language, its English wording as the text.
   */
  async postSystemMessage(conversationId: string, event: SystemEvent): Promise<void> {
    const text = englishSystemText(event);
    const message: Message = { id: newMessageId(), author: SYSTEM_AUTHOR, kind: 'system', text, createdAt: Date.now(), event };
    const newest = await this.registry.segments.newestDocName(conversationId);
    await this.registry.change(newest, (doc) => messagesOf(doc).set(message.id, message));
  }

  private async putListEntry(userId: string, summary: ConversationSummary): Promise<void> {
    await this.registry.change(userDocName(userId), (doc) => {
      const list = conversationsOf(doc);
      if (!sameJson(list.get(summary.id), summary)) list.set(summary.id, summary);
    });
  }
}

/** How a conversation appears in one member's list. */
export function summaryFor(conversation: ConversationRecord, members: UserRecord[], viewerId: string): ConversationSummary {
  const summary: ConversationSummary = {
    id: conversation.id,
    kind: conversation.kind,
    title: titleFor(conversation, members, viewerId),
    createdAt: conversation.createdAt,
  };
  if (conversation.kind === 'direct') {
    const peer = members.find((m) => m.id !== viewerId);
    if (peer) {
      summary.peerId = peer.id;
      if (peer.avatar) summary.avatar = peer.avatar;
    }
  } else if (conversation.avatar) {
    summary.avatar = conversation.avatar;
  }
  return summary;
}

export function titleFor(conversation: ConversationRecord, members: UserRecord[], viewerId: string): string {
  if (conversation.kind === 'group' || conversation.kind === 'robot') return conversation.title ?? 'Group';
  if (conversation.kind === 'widget') {
    // The visitor sees the site's name; the site's people see who the visitor is, and from where.
    const visitor = members.find((m) => m.guestOf);
    if (!visitor || visitor.id === viewerId) return conversation.title ?? 'Chat';
    const claimed = visitor.visitor && !visitor.visitor.verified && visitor.visitor.name ? ` (says: ${visitor.visitor.name})` : '';
    return `${visitor.name}${claimed} · ${conversation.title ?? ''}`;
  }
  const others = members.filter((m) => m.id !== viewerId).map((m) => m.name);
  return others.length > 0 ? others.join(', ') : 'Just you';
}
