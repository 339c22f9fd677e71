/**
 * Digest records in PostgreSQL (store/digest-records.ts; table in
 * migrations/024_push_preferences.sql), one row per person. `update` runs in
 * a transaction holding an advisory lock on the person (a row lock cannot
 * cover a row not yet there), so two relays noting messages of one person
 * at once both land; `take` is one `DELETE … RETURNING`, so one relay mails it.
 */
import type pg from 'pg';
import type { DigestRecord, DigestRecordStore } from '../digest-records.js';
import { inTransaction } from './pool.js';

export class PostgresDigestRecordStore implements DigestRecordStore {
  constructor(private readonly pool: pg.Pool) {}

  update(userId: string, change: (record: DigestRecord | undefined) => DigestRecord | undefined): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('push_digests:' || $1, 0))", [userId]);
      const { rows } = await client.query<{ record: DigestRecord }>('SELECT record FROM push_digests WHERE user_id = $1', [userId]);
      const next = change(rows[0]?.record);
      if (next) {
        await client.query(
          `INSERT INTO push_digests (user_id, since, record) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET since = excluded.since, record = excluded.record`,
          [userId, next.since, JSON.stringify(next)],
        );
      } else if (rows[0]) {
        await client.query('DELETE FROM push_digests WHERE user_id = $1', [userId]);
      }
    });
  }

  async waiting(): Promise<Array<{ userId: string; since: number }>> {
    const { rows } = await this.pool.query<{ user_id: string; since: string }>('SELECT user_id, since FROM push_digests ORDER BY user_id');
    return rows.map((row) => ({ userId: row.user_id, since: Number(row.since) }));
  }

  async take(userId: string): Promise<DigestRecord | undefined> {
    const { rows } = await this.pool.query<{ record: DigestRecord }>('DELETE FROM push_digests WHERE user_id = $1 RETURNING record', [
      userId,
    ]);
    return rows[0]?.record;
  }
}
