/** The reminder store contract (reminders.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { useSchemaPerTest } from '../testing/use-schema-per-test.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { LevelReminderStore } from './level-reminders.js';
import { PostgresReminderStore } from './postgres/postgres-reminders.js';
import { reminderStoreContract } from './reminders.contract.js';

const level = useTestDatabase();
const postgres = useSchemaPerTest();

reminderStoreContract('LevelDB', {
  open: () => new LevelReminderStore(level.db),
  sameStorage: (store) => store,
});

reminderStoreContract('PostgreSQL', {
  open: () => new PostgresReminderStore(postgres.pool()),
  sameStorage: () => new PostgresReminderStore(postgres.otherPool()),
});
