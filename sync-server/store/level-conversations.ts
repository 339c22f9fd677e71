/**
 * Conversations and who belongs to them, in LevelDB (conversations.ts).
 * Membership is stored both ways (`members: convId!userId` and
 * `memberOf: userId!convId`) so that "who is in this conversation" and
 * "which conversations is this person in" are each one range read.
 */
import type { ConversationStore } from './conversations.js';
import type { ConversationRecord, Database, MembershipRecord } from './database.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';
import { entriesOf } from './owner-reads.js';

export class LevelConversationStore implements ConversationStore {
  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<ConversationRecord | undefined> {
    return this.db.convs.get(id);
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    return (await this.db.members.get(compositeKey(conversationId, userId))) !== undefined;
  }

  /** Creates the conversation with its members in one batch. */
  async create(conversation: ConversationRecord, members: Map<string, MembershipRecord>): Promise<void> {
    const batch = this.db.root.batch();
    batch.put(conversation.id, conversation, { sublevel: this.db.convs });
    for (const [userId, membership] of members) {
      batch.put(compositeKey(conversation.id, userId), membership, { sublevel: this.db.members });
      batch.put(compositeKey(userId, conversation.id), membership, { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  async update(conversation: ConversationRecord): Promise<void> {
    await this.db.convs.put(conversation.id, conversation);
  }

  async membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined> {
    return this.db.members.get(compositeKey(conversationId, userId));
  }

  /** Adds or updates memberships (both indexes) in one batch. */
  async putMembers(conversationId: string, members: Map<string, MembershipRecord>): Promise<void> {
    const batch = this.db.root.batch();
    for (const [userId, membership] of members) {
      batch.put(compositeKey(conversationId, userId), membership, { sublevel: this.db.members });
      batch.put(compositeKey(userId, conversationId), membership, { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  async removeMembers(conversationId: string, userIds: string[]): Promise<void> {
    const batch = this.db.root.batch();
    for (const userId of userIds) {
      batch.del(compositeKey(conversationId, userId), { sublevel: this.db.members });
      batch.del(compositeKey(userId, conversationId), { sublevel: this.db.memberOf });
    }
    await batch.write();
  }

  /** Member ids of a conversation with their membership. */
  async members(conversationId: string): Promise<Map<string, MembershipRecord>> {
    return entriesOf<MembershipRecord>(this.db.members, conversationId);
  }

  /** How many of a person's conversations have ids starting with `idPrefix`, counting up to `limit` at most (a key-only range read). */
  async countIdsOf(userId: string, idPrefix: string, limit: number): Promise<number> {
    const prefix = compositeKey(userId, idPrefix);
    return (await this.db.memberOf.keys({ ...prefixRange(prefix), limit }).all()).length;
  }

  /** Ids of the conversations a person belongs to. */
  async conversationIdsOf(userId: string): Promise<string[]> {
    const prefix = keyPrefix(userId);
    // One range read, not a step of the iterator per key: a person in 1,000 conversations waited ~40 ms of the relay's
    // thread here before their heads' catch-up could start (issue 12's cold first sign-in).
    const keys = await this.db.memberOf.keys(prefixRange(prefix)).all();
    return keys.map((key) => key.slice(prefix.length));
  }
}
