/**
 * Reminders in PostgreSQL (store/reminders.ts; table in migrations/016_reminders.sql).
 * Claiming is one statement: the due, unclaimed rows are picked
 * `FOR UPDATE SKIP LOCKED` (a row another relay is claiming right now is
 * passed over, not waited for) and marked `claimed_until`, so no two relays
 * deliver the same reminder at once.
 */
import type pg from 'pg';
import type { ReminderRecord } from '../database.js';
import type { ReminderStore } from '../reminders.js';

interface ReminderRow {
  id: string;
  conversation_id: string;
  user_id: string;
  text: string;
  due_at: string;
}

const COLUMNS = 'id, conversation_id, user_id, text, due_at';

function recordOf(row: ReminderRow): ReminderRecord {
  // bigint comes back as a string (pg keeps precision); times are milliseconds, well inside a double.
  return { id: row.id, conversationId: row.conversation_id, userId: row.user_id, text: row.text, dueAt: Number(row.due_at) };
}

export class PostgresReminderStore implements ReminderStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Other relays add reminders too, and a crashed relay's must be found by the others: look every 10 s (tests: less). */
    readonly recheckMs = 10_000,
  ) {}

  async add(reminder: ReminderRecord): Promise<void> {
    await this.pool.query(`INSERT INTO reminders (${COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
      reminder.id,
      reminder.conversationId,
      reminder.userId,
      reminder.text,
      reminder.dueAt,
    ]);
  }

  async claimDue(now: number, limit: number, claimMs: number): Promise<ReminderRecord[]> {
    const { rows } = await this.pool.query<ReminderRow>(
      `UPDATE reminders SET claimed_until = $2
        WHERE id IN (
          SELECT id FROM reminders
           WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY due_at LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [now, now + claimMs, limit],
    );
    return rows.map(recordOf).sort((a, b) => a.dueAt - b.dueAt);
  }

  async release(id: string): Promise<void> {
    await this.pool.query('UPDATE reminders SET claimed_until = NULL WHERE id = $1', [id]);
  }

  async remove(id: string): Promise<void> {
    await this.pool.query('DELETE FROM reminders WHERE id = $1', [id]);
  }

  async nextDueAt(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ due_at: string }>('SELECT due_at FROM reminders ORDER BY due_at LIMIT 1');
    return rows[0] === undefined ? undefined : Number(rows[0].due_at);
  }
}
