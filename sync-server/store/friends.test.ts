/** The friend store contract (friends.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { friendStoreContract } from './friends.contract.js';
import { LevelFriendStore } from './level-friends.js';
import { PostgresFriendStore } from './postgres/postgres-friends.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

friendStoreContract('LevelDB', {
  open: () => new LevelFriendStore(level.db),
  sameStorage: (store) => store,
});

friendStoreContract('PostgreSQL', {
  open: () => new PostgresFriendStore(postgres.pool()),
  sameStorage: () => new PostgresFriendStore(postgres.otherPool()),
});
