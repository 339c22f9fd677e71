/**
 * Answers a person's server search (`GET /api/search`, docs/API.md): the
 * messages of the conversations they are a member of NOW that hold every
 * term of the query, newest first. Membership is read from the store at
 * each query, and the index is read only under those conversations' ids
 * (message-index-store.ts), so a stranger, a removed member or someone who
 * left finds nothing of a conversation (docs/SECURITY.md, "Search").
 */
import { SEARCH_QUERY_MAX_LENGTH, SEARCH_RESULT_LIMIT, type SearchHit } from '../../shared/search-api.js';
import { queryTerms } from '../../shared/search-tokens.js';
import type { MessageIndex } from './message-index.js';

/** What the search needs of the conversation store: current memberships only. */
export interface Memberships {
  conversationIdsOf(userId: string): Promise<string[]>;
  isMember(conversationId: string, userId: string): Promise<boolean>;
}

export class MessageSearch {
  constructor(
    private readonly index: MessageIndex,
    private readonly memberships: Memberships,
  ) {}

  /** Hits for `query` in the person's conversations (or in `conversationId` alone, if they are in it). */
  async search(userId: string, query: string, conversationId?: string): Promise<SearchHit[]> {
    const wanted = queryTerms(query.slice(0, SEARCH_QUERY_MAX_LENGTH));
    if (wanted.length === 0) return [];
    const conversations = conversationId
      ? (await this.memberships.isMember(conversationId, userId))
        ? [conversationId]
        : []
      : await this.memberships.conversationIdsOf(userId);
    const top = await this.index.candidates(conversations, wanted, SEARCH_RESULT_LIMIT);
    const byConversation = new Map<string, string[]>();
    for (const { conversationId: id, messageId } of top) byConversation.set(id, [...(byConversation.get(id) ?? []), messageId]);
    const hits: SearchHit[] = [];
    // At once: the newest hits are spread over up to 50 conversations, and one after the other that was 50 round trips to PostgreSQL.
    const records = await Promise.all(
      [...byConversation].map(async ([id, messageIds]) => ({ id, found: await this.index.records(id, messageIds) })),
    );
    for (const { id, found } of records) {
      for (const record of found) {
        hits.push({
          conversationId: id,
          messageId: record.messageId,
          author: record.author,
          text: record.text,
          createdAt: record.createdAt,
          seq: record.seq,
        });
      }
    }
    return hits.sort((a, b) => b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : -1));
  }
}
