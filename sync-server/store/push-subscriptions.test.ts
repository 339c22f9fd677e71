/** The push device store contract (push-subscriptions.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelPushSubscriptionStore } from './level-push-subscriptions.js';
import { PostgresPushSubscriptionStore } from './postgres/postgres-push-subscriptions.js';
import { pushSubscriptionStoreContract } from './push-subscriptions.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

pushSubscriptionStoreContract('LevelDB', {
  open: () => new LevelPushSubscriptionStore(level.db),
  sameStorage: (store) => store,
});

pushSubscriptionStoreContract('PostgreSQL', {
  open: () => new PostgresPushSubscriptionStore(postgres.pool()),
  sameStorage: () => new PostgresPushSubscriptionStore(postgres.otherPool()),
});
