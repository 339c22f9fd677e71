/**
 * The server's search, wired once: the index (LevelDB embedded, PostgreSQL
 * full text in a cluster: message-index.ts), the participant that keeps it
 * (search-indexer.ts) and the query (message-search.ts).
 */
import type { Logger } from '../config.js';
import type { SearchHit } from '../../shared/search-api.js';
import type { MessageIndex } from './message-index.js';
import { MessageSearch, type Memberships } from './message-search.js';
import { SearchIndexer } from './search-indexer.js';

export class ServerSearch {
  /** The participant to list in server.ts (`registry.useParticipants`). */
  readonly indexer: SearchIndexer;
  private readonly query: MessageSearch;

  constructor(store: MessageIndex, memberships: Memberships, log: Logger) {
    this.indexer = new SearchIndexer(store, log);
    this.query = new MessageSearch(store, memberships);
  }

  search(userId: string, query: string, conversationId?: string): Promise<SearchHit[]> {
    return this.query.search(userId, query, conversationId);
  }

  /** Resolves when every index write queued so far is done (shutdown, tests). */
  idle(): Promise<void> {
    return this.indexer.idle();
  }

  /** Resolves after the next index write touching this message. */
  whenIndexed(messageId: string): Promise<void> {
    return this.indexer.whenIndexed(messageId);
  }
}
