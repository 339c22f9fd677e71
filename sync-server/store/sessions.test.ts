/** The session record store contract (sessions.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelSessionRecordStore } from './level-sessions.js';
import { PostgresSessionRecordStore } from './postgres/postgres-sessions.js';
import { sessionRecordStoreContract } from './sessions.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

sessionRecordStoreContract('LevelDB', {
  open: () => new LevelSessionRecordStore(level.db),
  sameStorage: (store) => store,
});

sessionRecordStoreContract('PostgreSQL', {
  open: () => new PostgresSessionRecordStore(postgres.pool()),
  sameStorage: () => new PostgresSessionRecordStore(postgres.otherPool()),
});
