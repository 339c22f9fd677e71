/**
 * What the server writes into documents when conversations change, so that
 * members can render them offline: `meta` of the conversation (kind, title,
 * members with names, pictures and roles), an entry in each member's
 * `user/<id>` list, and system messages ("Alice joined"). Each write is a
 * named command (commands/document-command.ts), so in a cluster it runs on
 * the relay that owns the document.
 */
import { englishSystemText, type SystemEvent } from '../../shared/system-events.js';
import { newMessageId } from '../../shared/message-id.js';
import type { ConversationSummary, MemberInfo, Message } from '../../shared/schema.js';
import type { ConversationMetaValues, DocumentCommands } from '../commands/document-command.js';
import type { ConversationStore } from '../store/conversations.js';
import type { ConversationRecord, UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

/** The author of messages the server writes itself. */
export const SYSTEM_AUTHOR = 'system';

export class ConversationDocuments {
  constructor(
    private readonly commands: DocumentCommands,
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
    const meta: ConversationMetaValues = {
      kind: conversation.kind,
      members: metaMembers,
      title: conversation.kind === 'group' || conversation.kind === 'robot' ? (conversation.title ?? '') : undefined,
      notice: conversation.notice,
      avatar: conversation.avatar,
      pinsByAdmins: conversation.kind === 'group' && conversation.pinsByAdmins ? true : undefined,
    };
    const { unnamedAuthors = [] } = await this.commands.run({ kind: 'conversation-meta', conversationId, meta });
    if (unnamedAuthors.length > 0) await this.nameFormerAuthors(conversationId, unnamedAuthors);
    // A conversation in history segments (docs/SEGMENTS.md): the newest holds a copy of `meta`, so the server's
    // participants (robot, push, heads) read members and kind where the messages arrive. Clients read `conv/<id>`'s.
    await this.commands.run({ kind: 'mirror-meta', conversationId });
    for (const user of members) {
      // A widget conversation nobody wrote in is the visitor's own until they write.
      if (conversation.hiddenUntilWritten && !user.guestOf) continue;
      await this.commands.run({ kind: 'list-entry', userId: user.id, summary: summaryFor(conversation, members, user.id) });
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
    await this.commands.run({ kind: 'former-members', conversationId, found });
  }

  /** Marks the conversation as ended in a former member's list (kept there, read-only). */
  async endForMember(userId: string, conversationId: string, ended: NonNullable<ConversationSummary['ended']>): Promise<void> {
    await this.commands.run({ kind: 'list-ended', userId, conversationId, ended });
  }

  /** Takes the conversation out of a person's list altogether. */
  async removeFromList(userId: string, conversationId: string): Promise<void> {
    await this.commands.run({ kind: 'list-remove', userId, conversationId });
  }

  /**
   * Writes a message authored by the server ("Bob joined the group"), into the newest segment (docs/SEGMENTS.md):
   * the event for clients to word in their reader's language, its English wording as the text. Its id is chosen
   * here, so a command tried again after its owner died is still one message.
   */
  async postSystemMessage(conversationId: string, event: SystemEvent): Promise<void> {
    const text = englishSystemText(event);
    const message: Message = { id: newMessageId(), author: SYSTEM_AUTHOR, kind: 'system', text, createdAt: Date.now(), event };
    await this.commands.run({ kind: 'post-message', conversationId, message });
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
