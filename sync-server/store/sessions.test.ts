/** The session record store contract (sessions.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { LevelSessionRecordStore } from './level-sessions.js';
import { PostgresSessionRecordStore } from './postgres/postgres-sessions.js';
import { sessionRecordStoreContract } from './sessions.contract.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(sessionRecordStoreContract, {
  level: ({ db }) => new LevelSessionRecordStore(db),
  postgres: (pool) => new PostgresSessionRecordStore(pool),
});
