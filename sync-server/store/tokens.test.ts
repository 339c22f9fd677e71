/** The single-use token store contract (tokens.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelTokenRecordStore } from './level-tokens.js';
import { PostgresTokenRecordStore } from './postgres/postgres-tokens.js';
import { tokenRecordStoreContract } from './tokens.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

tokenRecordStoreContract('LevelDB', {
  open: () => new LevelTokenRecordStore(level.db),
  sameStorage: (store) => store,
});

tokenRecordStoreContract('PostgreSQL', {
  open: () => new PostgresTokenRecordStore(postgres.pool()),
  sameStorage: () => new PostgresTokenRecordStore(postgres.otherPool()),
});
