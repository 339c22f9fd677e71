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
}

function recordOf(row: TokenRow): TokenRecord {
  return { userId: row.user_id, purpose: row.purpose, expiresAt: Number(row.expires_at) };
}

export class PostgresTokenRecordStore implements TokenRecordStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO one_time_tokens (hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hash) DO UPDATE SET user_id = excluded.user_id, purpose = excluded.purpose, expires_at = excluded.expires_at`,
      [hash, record.userId, record.purpose, record.expiresAt],
    );
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>('SELECT user_id, purpose, expires_at FROM one_time_tokens WHERE hash = $1', [hash]);
    return rows[0] && recordOf(rows[0]);
  }

  async take(hash: string, purpose: TokenPurpose): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>(
      'DELETE FROM one_time_tokens WHERE hash = $1 AND purpose = $2 RETURNING user_id, purpose, expires_at',
      [hash, purpose],
    );
    return rows[0] && recordOf(rows[0]);
  }
}
