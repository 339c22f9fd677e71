/** The user store contract (users.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelUserStore } from './level-users.js';
import { PostgresUserStore } from './postgres/postgres-users.js';
import { userStoreContract } from './users.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

userStoreContract('LevelDB', {
  open: () => new LevelUserStore(level.db),
  sameStorage: (store) => store,
});

userStoreContract('PostgreSQL', {
  open: () => new PostgresUserStore(postgres.pool()),
  sameStorage: () => new PostgresUserStore(postgres.otherPool()),
});
