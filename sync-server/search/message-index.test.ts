/** The search index contract (message-index.contract.ts) against LevelDB in a temp dir and a real PostgreSQL, a fresh schema per test. */
import { bothStores } from '../testing/both-stores.js';
import { MessageIndexStore } from './message-index-store.js';
import { messageIndexContract } from './message-index.contract.js';
import { PostgresMessageIndex } from './postgres-message-index.js';

bothStores(messageIndexContract, {
  level: ({ db }) => new MessageIndexStore(db),
  postgres: (pool) => new PostgresMessageIndex(pool),
});
