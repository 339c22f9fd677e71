/**
 * Conversations and who belongs to them. Membership is stored both ways
 * (`members: convId!userId` and `memberOf: userId!convId`) so that "who is in
 * this conversation" and "which conversations is this person in" are each one
 * range read. The relay asks `isMember` at every connection.
 */
import { KEY_SEPARATOR as SEP, type ConversationRecord, type Database, type MembershipRecord } from './database.js';
import { prefixRange } from './keys.js';

export class ConversationStore {
  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<ConversationRecord | undefined> {
    return this.db.convs.get(id);
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    return (await this.db.members.get(conversationId + SEP + userId)) !== undefined;
  }

  /** Creates the conversation with its members in one batch. */
  async create(conversation: ConversationRecord, members: Map<string, MembershipRecord>): Promise<void> {
    const batch = this.db.root.batch();
    batch.put(conversation.id, conversation, { sublevel: this.db.convs });
    for (const [userId, membership] of members) {
      batch.put(conversation.id + SEP + userId, membership, { sublevel: this.db.members });
      batch.put(userId + SEP + conversation.id, membership, { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  async update(conversation: ConversationRecord): Promise<void> {
    await this.db.convs.put(conversation.id, conversation);
  }

  async membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined> {
    return this.db.members.get(conversationId + SEP + userId);
  }

  /** Adds or updates memberships (both indexes) in one batch. */
  async putMembers(conversationId: string, members: Map<string, MembershipRecord>): Promise<void> {
    const batch = this.db.root.batch();
    for (const [userId, membership] of members) {
      batch.put(conversationId + SEP + userId, membership, { sublevel: this.db.members });
      batch.put(userId + SEP + conversationId, membership, { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  async removeMembers(conversationId: string, userIds: string[]): Promise<void> {
    const batch = this.db.root.batch();
    for (const userId of userIds) {
      batch.del(conversationId + SEP + userId, { sublevel: this.db.members });
      batch.del(userId + SEP + conversationId, { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  /** Member ids of a conversation with their membership. */
  async members(conversationId: string): Promise<Map<string, MembershipRecord>> {
    const prefix = conversationId + SEP;
    const result = new Map<string, MembershipRecord>();
    for await (const [key, value] of this.db.members.iterator(prefixRange(prefix))) {
      result.set(key.slice(prefix.length), value);
    }
    return result;
  }

  /** How many of a person's conversations have ids starting with `idPrefix`, counting up to `limit` at most (a key-only range read). */
  async countIdsOf(userId: string, idPrefix: string, limit: number): Promise<number> {
    const prefix = userId + SEP + idPrefix;
    return (await this.db.memberOf.keys({ ...prefixRange(prefix), limit }).all()).length;
  }

  /** Ids of the conversations a person belongs to. */
  async conversationIdsOf(userId: string): Promise<string[]> {
    const prefix = userId + SEP;
    const ids: string[] = [];
    for await (const key of this.db.memberOf.keys(prefixRange(prefix))) {
      ids.push(key.slice(prefix.length));
    }
    return ids;
  }
}
