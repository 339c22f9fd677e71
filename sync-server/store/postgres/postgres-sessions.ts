/**
 * Session records in PostgreSQL (store/sessions.ts; table in migrations/011_sessions.sql).
 * A change re-reads the row `FOR UPDATE` in its transaction, so renewals and
 * re-issues on different relays queue up instead of undoing each other.
 */
import type pg from 'pg';
import type { SessionRecord } from '../database.js';
import type { SessionRecordStore } from '../sessions.js';
import { inTransaction } from './pool.js';

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: string;
  secret_hash: string | null;
  legacy_until: string | null;
  created_at: string | null;
  last_used_at: string | null;
  device: string | null;
}

const COLUMNS = 'id, user_id, expires_at, secret_hash, legacy_until, created_at, last_used_at, device';

function recordOf(row: SessionRow): SessionRecord {
  // bigint comes back as a string (pg keeps precision); these are milliseconds, well inside a double.
  const record: SessionRecord = { id: row.id, userId: row.user_id, expiresAt: Number(row.expires_at) };
  if (row.secret_hash !== null) record.secretHash = row.secret_hash;
  if (row.legacy_until !== null) record.legacyUntil = Number(row.legacy_until);
  if (row.created_at !== null) record.createdAt = Number(row.created_at);
  if (row.last_used_at !== null) record.lastUsedAt = Number(row.last_used_at);
  if (row.device !== null) record.device = row.device;
  return record;
}

export class PostgresSessionRecordStore implements SessionRecordStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1`, [id]);
    return rows[0] && recordOf(rows[0]);
  }

  async create(session: SessionRecord): Promise<void> {
    await this.pool.query(`INSERT INTO sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      session.id,
      session.userId,
      session.expiresAt,
      session.secretHash ?? null,
      session.legacyUntil ?? null,
      session.createdAt ?? null,
      session.lastUsedAt ?? null,
      session.device ?? null,
    ]);
  }

  async change(id: string, change: (current: SessionRecord) => SessionRecord | null): Promise<SessionRecord | null> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1 FOR UPDATE`, [id]);
      const next = rows[0] ? change(recordOf(rows[0])) : null;
      if (!next) return null;
      // The owner, the id, when and on what it was made never change.
      await client.query('UPDATE sessions SET expires_at = $2, secret_hash = $3, legacy_until = $4, last_used_at = $5 WHERE id = $1', [
        id,
        next.expiresAt,
        next.secretHash ?? null,
        next.legacyUntil ?? null,
        next.lastUsedAt ?? null,
      ]);
      return next;
    });
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async idsOf(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1 ORDER BY id', [userId]);
    return rows.map((row) => row.id);
  }
}
