/**
 * Conversations and who belongs to them: the calls the services make of the
 * store. The relay asks `isMember` at every connection. `LevelConversationStore`
 * (level-conversations.ts) is the embedded one, `PostgresConversationStore`
 * (postgres/postgres-conversations.ts) the cluster's; both pass conversations.contract.ts.
 */
import type { ConversationRecord, MembershipRecord } from './database.js';

export interface ConversationStore {
  byId(id: string): Promise<ConversationRecord | undefined>;
  isMember(conversationId: string, userId: string): Promise<boolean>;
  /** Creates the conversation with its members, all or nothing. */
  create(conversation: ConversationRecord, members: Map<string, MembershipRecord>): Promise<void>;
  /** Stores the conversation's changed fields (its members are changed apart). */
  update(conversation: ConversationRecord): Promise<void>;
  membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined>;
  /** Adds or updates memberships, all or nothing. */
  putMembers(conversationId: string, members: Map<string, MembershipRecord>): Promise<void>;
  removeMembers(conversationId: string, userIds: string[]): Promise<void>;
  /** Member ids of a conversation with their membership. */
  members(conversationId: string): Promise<Map<string, MembershipRecord>>;
  /** How many of a person's conversations have ids starting with `idPrefix`, counting up to `limit` at most. */
  countIdsOf(userId: string, idPrefix: string, limit: number): Promise<number>;
  /** Ids of the conversations a person belongs to. */
  conversationIdsOf(userId: string): Promise<string[]>;
}
