/** The single-use token store contract (tokens.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { LevelTokenRecordStore } from './level-tokens.js';
import { PostgresTokenRecordStore } from './postgres/postgres-tokens.js';
import { tokenRecordStoreContract } from './tokens.contract.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(tokenRecordStoreContract, {
  level: ({ db }) => new LevelTokenRecordStore(db),
  postgres: (pool) => new PostgresTokenRecordStore(pool),
});
