/** The conversation store contract (conversations.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { conversationStoreContract } from './conversations.contract.js';
import { LevelConversationStore } from './level-conversations.js';
import { PostgresConversationStore } from './postgres/postgres-conversations.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

conversationStoreContract('LevelDB', {
  open: () => new LevelConversationStore(level.db),
  sameStorage: (store) => store,
});

conversationStoreContract('PostgreSQL', {
  open: () => new PostgresConversationStore(postgres.pool()),
  sameStorage: () => new PostgresConversationStore(postgres.otherPool()),
});
