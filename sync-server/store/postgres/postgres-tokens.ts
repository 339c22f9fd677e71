/**
 * Single-use token records in PostgreSQL (store/tokens.ts; table in
 * migrations/012_one_time_tokens.sql). Taking one is a single
 * `DELETE … RETURNING`: of parallel takes on any relays, one gets the row.
 */
import type pg from 'pg';
import type { TokenPurpose, TokenRecord } from '../database.js';
import type { TokenRecordStore } from '../tokens.js';

interface TokenRow {
  user_id: string;
  purpose: TokenPurpose;
  expires_at: string;
  email: string | null;
}

const COLUMNS = 'user_id, purpose, expires_at, email';

function recordOf(row: TokenRow): TokenRecord {
  const record: TokenRecord = { userId: row.user_id, purpose: row.purpose, expiresAt: Number(row.expires_at) };
  if (row.email !== null) record.email = row.email;
  return record;
}

export class PostgresTokenRecordStore implements TokenRecordStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO one_time_tokens (hash, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hash) DO UPDATE SET user_id = excluded.user_id, purpose = excluded.purpose, expires_at = excluded.expires_at,
         email = excluded.email`,
      [hash, record.userId, record.purpose, record.expiresAt, record.email ?? null],
    );
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT ${COLUMNS} FROM one_time_tokens WHERE hash = $1`, [hash]);
    return rows[0] && recordOf(rows[0]);
  }

  async take(hash: string, purpose: TokenPurpose): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>(`DELETE FROM one_time_tokens WHERE hash = $1 AND purpose = $2 RETURNING ${COLUMNS}`, [
      hash,
      purpose,
    ]);
    return rows[0] && recordOf(rows[0]);
  }
}
