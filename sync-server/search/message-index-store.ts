/**
 * The server's search index: a small inverted index in LevelDB, kept per
 * conversation. Every key starts with the conversation's id, so a search
 * reads only inside the conversations it was given (the person's current
 * ones, message-search.ts): no key of another conversation is ever read.
 *
 * - `searchTerms`: `convId!term!messageId` → the message's time, one per
 *   term (shared/search-tokens.ts). A prefix query is one range read
 *   (`convId!hel` covers `convId!hello!…`); terms never hold `!`.
 * - `searchMessages`: `convId!messageId` → what a hit shows (text, author,
 *   time, seq) and the terms it was indexed under, so an edit or delete
 *   removes exactly those. A deleted message has no record and no terms.
 * - `searchConversations`: document name (`conv/<id>`, or a history
 *   segment's `conv/<id>~<n>`) → the index version it was fully indexed at;
 *   a document without it (stored before search existed) is indexed whole
 *   when it next loads.
 */
import type { QueryTerm } from '../../shared/search-tokens.js';
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

/** Bumped when the terms of a text change (shared/search-tokens.ts): conversations are then indexed again as they load. */
export const INDEX_VERSION = 1;
/** Keys one term may read in one conversation: a one-letter prefix in a huge group stops here, keeping a query's cost bounded. */
export const TERM_SCAN_LIMIT = 20_000;

/** A message as the index keeps it. */
export interface IndexedMessage {
  messageId: string;
  author: string;
  text: string;
  createdAt: number;
  seq: number;
  terms: string[];
}

type StoredMessage = Omit<IndexedMessage, 'messageId'>;

export class MessageIndexStore {
  private readonly terms;
  private readonly messages;
  private readonly conversations;

  constructor(private readonly db: Database) {
    // Made here, not in database.ts: the index is search's own, and the root reopens every sublevel made on it.
    this.terms = db.root.sublevel<string, number>('searchTerms', { valueEncoding: 'json' });
    this.messages = db.root.sublevel<string, StoredMessage>('searchMessages', { valueEncoding: 'json' });
    this.conversations = db.root.sublevel<string, number>('searchConversations', { valueEncoding: 'json' });
  }

  /** Whether the document (a conversation or one of its segments) was indexed whole at this version. */
  async isCurrent(docName: string): Promise<boolean> {
    return (await this.conversations.get(docName)) === INDEX_VERSION;
  }

  async markCurrent(docName: string): Promise<void> {
    await this.conversations.put(docName, INDEX_VERSION);
  }

  /**
   * Puts these messages in (replacing what they were indexed as) and takes
   * these ids out, in one batch.
   */
  async apply(conversationId: string, put: readonly IndexedMessage[], remove: readonly string[]): Promise<void> {
    const ids = [...put.map((m) => m.messageId), ...remove];
    if (ids.length === 0) return;
    const before = await this.messages.getMany(ids.map((id) => compositeKey(conversationId, id)));
    const old = new Map(ids.map((id, i) => [id, before[i]]));
    const batch = this.db.root.batch();
    for (const id of remove) {
      const previous = old.get(id);
      if (!previous) continue;
      for (const term of previous.terms) batch.del(compositeKey(conversationId, term, id), { sublevel: this.terms });
      batch.del(compositeKey(conversationId, id), { sublevel: this.messages });
    }
    for (const { messageId, ...stored } of put) {
      const keep = new Set(stored.terms);
      for (const term of old.get(messageId)?.terms ?? []) {
        if (!keep.has(term)) batch.del(compositeKey(conversationId, term, messageId), { sublevel: this.terms });
      }
      for (const term of stored.terms) batch.put(compositeKey(conversationId, term, messageId), stored.createdAt, { sublevel: this.terms });
      batch.put(compositeKey(conversationId, messageId), stored, { sublevel: this.messages });
    }
    await batch.write();
  }

  /**
   * Messages of one conversation holding every term, as id → time.
   * Each term reads at most `TERM_SCAN_LIMIT` keys.
   */
  async matching(conversationId: string, wanted: readonly QueryTerm[]): Promise<Map<string, number>> {
    let found: Map<string, number> | undefined;
    for (const { term, prefix } of wanted) {
      const range = prefix ? prefixRange(compositeKey(conversationId, term)) : prefixRange(keyPrefix(conversationId, term));
      const next = new Map<string, number>();
      for await (const [key, createdAt] of this.terms.iterator({ ...range, limit: TERM_SCAN_LIMIT })) {
        const messageId = key.slice(key.lastIndexOf('!') + 1);
        if (!found || found.has(messageId)) next.set(messageId, createdAt);
      }
      found = next;
      if (found.size === 0) break;
    }
    return found ?? new Map();
  }

  /** The records of these messages of one conversation (missing ones left out). */
  async records(conversationId: string, messageIds: readonly string[]): Promise<IndexedMessage[]> {
    if (messageIds.length === 0) return [];
    const stored = await this.messages.getMany(messageIds.map((id) => compositeKey(conversationId, id)));
    const out: IndexedMessage[] = [];
    stored.forEach((record, i) => {
      if (record) out.push({ messageId: messageIds[i], ...record });
    });
    return out;
  }
}
