/** The user store contract (users.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { LevelUserStore } from './level-users.js';
import { PostgresUserStore } from './postgres/postgres-users.js';
import { userStoreContract } from './users.contract.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(userStoreContract, {
  level: ({ db }) => new LevelUserStore(db),
  postgres: (pool) => new PostgresUserStore(pool),
});
