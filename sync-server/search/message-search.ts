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
import type { MessageIndexStore } from './message-index-store.js';

/** What the search needs of the conversation store: current memberships only. */
export interface Memberships {
  conversationIdsOf(userId: string): Promise<string[]>;
  isMember(conversationId: string, userId: string): Promise<boolean>;
}

/** Conversations searched at once: enough to keep both cores busy without queueing thousands of reads. */
const PARALLEL = 16;

export class MessageSearch {
  constructor(
    private readonly index: MessageIndexStore,
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
    const candidates: Array<{ conversationId: string; messageId: string; createdAt: number }> = [];
    for (let at = 0; at < conversations.length; at += PARALLEL) {
      const slice = conversations.slice(at, at + PARALLEL);
      const found = await Promise.all(slice.map((id) => this.index.matching(id, wanted)));
      found.forEach((matches, i) => {
        for (const [messageId, createdAt] of matches) candidates.push({ conversationId: slice[i], messageId, createdAt });
      });
    }
    candidates.sort((a, b) => b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : -1));
    const top = candidates.slice(0, SEARCH_RESULT_LIMIT);
    const byConversation = new Map<string, string[]>();
    for (const { conversationId: id, messageId } of top) byConversation.set(id, [...(byConversation.get(id) ?? []), messageId]);
    const hits: SearchHit[] = [];
    for (const [id, messageIds] of byConversation) {
      for (const record of await this.index.records(id, messageIds)) {
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
