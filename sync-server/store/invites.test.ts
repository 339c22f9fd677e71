/** The invite store contract (invites.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { inviteStoreContract } from './invites.contract.js';
import { LevelInviteStore } from './level-invites.js';
import { PostgresInviteStore } from './postgres/postgres-invites.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

inviteStoreContract('LevelDB', {
  open: () => new LevelInviteStore(level.db),
  sameStorage: (store) => store,
});

inviteStoreContract('PostgreSQL', {
  open: () => new PostgresInviteStore(postgres.pool()),
  sameStorage: () => new PostgresInviteStore(postgres.otherPool()),
});
