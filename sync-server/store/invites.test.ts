/** The invite store contract (invites.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { inviteStoreContract } from './invites.contract.js';
import { LevelInviteStore } from './level-invites.js';
import { PostgresInviteStore } from './postgres/postgres-invites.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(inviteStoreContract, {
  level: ({ db }) => new LevelInviteStore(db),
  postgres: (pool) => new PostgresInviteStore(pool),
});
