/**
 * Push devices in PostgreSQL (store/push-subscriptions.ts; table in
 * migrations/018_push_subscriptions.sql, locale from 023). The endpoint's hash is the primary
 * key, so storing a device is one upsert that also moves it between accounts.
 */
import type pg from 'pg';
import { storedLocale } from '../../i18n/push-texts.js';
import type { PushSubscriptionStore, SubscriptionRecord } from '../push-subscriptions.js';

interface SubscriptionRow {
  id: string;
  user_id: string;
  session_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
  locale: string;
}

const COLUMNS = 'id, user_id, session_id, endpoint, p256dh, auth, created_at, locale';

function recordOf(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    sessionId: row.session_id,
    endpoint: row.endpoint,
    keys: { p256dh: row.p256dh, auth: row.auth },
    // bigint comes back as a string (pg keeps precision); milliseconds, well inside a double.
    createdAt: Number(row.created_at),
    locale: storedLocale(row.locale),
  };
}

export class PostgresPushSubscriptionStore implements PushSubscriptionStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Devices are added through every relay: a relay's cache of who has devices is refreshed this often. */
    readonly recheckMs = 5_000,
  ) {}

  async put(record: SubscriptionRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO push_subscriptions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, session_id = excluded.session_id, endpoint = excluded.endpoint,
         p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at, locale = excluded.locale`,
      [record.id, record.userId, record.sessionId, record.endpoint, record.keys.p256dh, record.keys.auth, record.createdAt, record.locale],
    );
  }

  async get(userId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM push_subscriptions WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ]);
    return rows[0] && recordOf(rows[0]);
  }

  async ofUser(userId: string): Promise<SubscriptionRecord[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM push_subscriptions WHERE user_id = $1 ORDER BY id`, [
      userId,
    ]);
    return rows.map(recordOf);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.pool.query('DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2', [id, userId]);
  }

  async usersWithDevices(): Promise<string[]> {
    const { rows } = await this.pool.query<{ user_id: string }>('SELECT DISTINCT user_id FROM push_subscriptions');
    return rows.map((row) => row.user_id);
  }
}
