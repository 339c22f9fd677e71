/** The reminder store contract (reminders.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { LevelReminderStore } from './level-reminders.js';
import { PostgresReminderStore } from './postgres/postgres-reminders.js';
import { reminderStoreContract } from './reminders.contract.js';
import { bothStores } from '../testing/both-stores.js';

bothStores(reminderStoreContract, {
  level: ({ db }) => new LevelReminderStore(db),
  postgres: (pool) => new PostgresReminderStore(pool),
});
