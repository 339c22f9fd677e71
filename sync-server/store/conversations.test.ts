/** The conversation store contract (conversations.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { conversationStoreContract } from './conversations.contract.js';
import { LevelConversationStore } from './level-conversations.js';
import { PostgresConversationStore } from './postgres/postgres-conversations.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(conversationStoreContract, {
  level: ({ db }) => new LevelConversationStore(db),
  postgres: (pool) => new PostgresConversationStore(pool),
});
