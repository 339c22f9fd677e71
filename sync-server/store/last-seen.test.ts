/** The last-seen contract (last-seen.contract.ts) against LevelDB in a temp dir and a real PostgreSQL, a fresh schema per test. */
import { bothStores } from '../testing/both-stores.js';
import { lastSeenStoreContract } from './last-seen.contract.js';
import { LevelLastSeenStore } from './level-last-seen.js';
import { PostgresLastSeenStore } from './postgres/postgres-last-seen.js';

bothStores(lastSeenStoreContract, {
  level: ({ db }) => new LevelLastSeenStore(db),
  postgres: (pool) => new PostgresLastSeenStore(pool),
});
