/**
 * Last seen in PostgreSQL (store/last-seen.ts; the table in
 * migrations/025_last_seen.sql). A mark is one upsert that skips an older
 * mark, so two relays writing at once keep the newer.
 */
import type pg from 'pg';
import type { LastSeenRecord, LastSeenStore } from '../last-seen.js';

interface Row {
  user_id: string;
  online: boolean;
  seen_at: string;
  hidden: boolean;
}

export class PostgresLastSeenStore implements LastSeenStore {
  constructor(private readonly pool: pg.Pool) {}

  async markSeen(userId: string, online: boolean, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO last_seen (user_id, online, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET online = excluded.online, seen_at = excluded.seen_at
       WHERE last_seen.seen_at <= excluded.seen_at`,
      [userId, online, at],
    );
  }

  async setHidden(userId: string, hidden: boolean): Promise<void> {
    await this.pool.query(
      `INSERT INTO last_seen (user_id, online, seen_at, hidden) VALUES ($1, false, 0, $2)
       ON CONFLICT (user_id) DO UPDATE SET hidden = excluded.hidden`,
      [userId, hidden],
    );
  }

  async recordsOf(userIds: readonly string[]): Promise<Map<string, LastSeenRecord>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await this.pool.query<Row>('SELECT user_id, online, seen_at, hidden FROM last_seen WHERE user_id = ANY($1)', [
      [...userIds],
    ]);
    // bigint arrives as a string; a time in ms fits a double exactly.
    return new Map(rows.map((row) => [row.user_id, { online: row.online, seenAt: Number(row.seen_at), hidden: row.hidden }]));
  }
}
