/** The push device store contract (push-subscriptions.contract.ts) against LevelDB in a temp dir and against a real PostgreSQL, a fresh schema per test. */
import { bothStores } from '../testing/both-stores.js';
import { compositeKey } from './keys.js';
import { LevelPushSubscriptionStore } from './level-push-subscriptions.js';
import { PostgresPushSubscriptionStore } from './postgres/postgres-push-subscriptions.js';
import { pushSubscriptionStoreContract } from './push-subscriptions.contract.js';

bothStores(pushSubscriptionStoreContract, {
  level: ({ db }) => new LevelPushSubscriptionStore(db),
  postgres: (pool) => new PostgresPushSubscriptionStore(pool),
  extras: {
    level: (level) => ({
      // The raw LevelDB records, as written before devices had a language.
      putWithoutLocale: async (_store, record) => {
        await level.db.root
          .sublevel<string, object>('pushSubscriptions', { valueEncoding: 'json' })
          .put(compositeKey(record.userId, record.id), record);
      },
    }),
    postgres: (postgres) => ({
      // An INSERT naming only the columns of migration 018: the column's default fills the rest.
      putWithoutLocale: async (_store, record) => {
        await postgres
          .pool()
          .query(
            'INSERT INTO push_subscriptions (id, user_id, session_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [record.id, record.userId, record.sessionId, record.endpoint, record.keys.p256dh, record.keys.auth, record.createdAt],
          );
      },
    }),
  },
});
