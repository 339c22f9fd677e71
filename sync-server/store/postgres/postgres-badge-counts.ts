/**
 * Badge counts in PostgreSQL (store/badge-counts.ts; table in
 * migrations/024_push_preferences.sql): a count is one upsert (or delete at
 * 0) of the number the document gave, the badge one `SUM`; nothing is read
 * and then written back.
 */
import type pg from 'pg';
import type { BadgeCountStore } from '../badge-counts.js';

export class PostgresBadgeCountStore implements BadgeCountStore {
  constructor(private readonly pool: pg.Pool) {}

  async set(userId: string, conversationId: string, count: number): Promise<void> {
    if (count > 0) {
      await this.pool.query(
        `INSERT INTO push_badge_counts (user_id, conversation_id, count) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET count = excluded.count`,
        [userId, conversationId, count],
      );
    } else {
      await this.pool.query('DELETE FROM push_badge_counts WHERE user_id = $1 AND conversation_id = $2', [userId, conversationId]);
    }
  }

  async total(userId: string, leaveOut: readonly string[] = []): Promise<number> {
    const { rows } = await this.pool.query<{ total: string }>(
      'SELECT COALESCE(SUM(count), 0) AS total FROM push_badge_counts WHERE user_id = $1 AND NOT (conversation_id = ANY($2::text[]))',
      [userId, leaveOut],
    );
    return Number(rows[0].total);
  }
}
