/**
 * People's accounts in PostgreSQL (store/users.ts; table in migrations/010_users.sql).
 * A second account for one email is refused by the unique index, so two
 * relays registering the same email at once make one account.
 */
import type pg from 'pg';
import type { UserRecord } from '../database.js';
import { prefixRange } from '../keys.js';
import type { UserStore } from '../users.js';

/** Rows carry the record whole; columns are only for lookups. */
interface UserRow {
  record: UserRecord;
}

export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async byId(id: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT record FROM users WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  async byEmail(email: string): Promise<UserRecord | undefined> {
    if (email === '') return undefined;
    const { rows } = await this.pool.query<UserRow>(
      "SELECT record FROM users WHERE lower(btrim(email)) = lower(btrim($1)) AND email <> ''",
      [email],
    );
    return rows[0]?.record;
  }

  async create(user: UserRecord): Promise<boolean> {
    // ON CONFLICT without a target covers both the id and the email index: a taken one is "false", never an error.
    const { rowCount } = await this.pool.query(
      'INSERT INTO users (id, email, name_lower, activated, record) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [user.id, user.email, user.name.toLowerCase(), user.activated, user],
    );
    return rowCount === 1;
  }

  async changeEmail(id: string, email: string): Promise<boolean> {
    try {
      // The unique index on the email decides between two accounts claiming one address at once.
      const { rowCount } = await this.pool.query(
        `UPDATE users SET email = $2, record = jsonb_set(record, '{email}', to_jsonb($2::text)) WHERE id = $1`,
        [id, email],
      );
      return rowCount === 1;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return false; // unique_violation
      throw error;
    }
  }

  async update(user: UserRecord): Promise<void> {
    // The email is never changed here: its uniqueness was settled at create.
    await this.pool.query('UPDATE users SET name_lower = $2, activated = $3, record = $4 WHERE id = $1', [
      user.id,
      user.name.toLowerCase(),
      user.activated,
      { ...user },
    ]);
  }

  async searchByName(prefix: string, limit: number, exclude: (user: UserRecord) => boolean): Promise<UserRecord[]> {
    // The same range as LevelDB's (keys.ts): no LIKE, so `%` and `_` in a name are plain characters.
    const range = prefixRange(prefix.toLowerCase());
    const { rows } = await this.pool.query<UserRow>(
      `SELECT record FROM users
        WHERE activated AND name_lower >= $1 AND ($2::text IS NULL OR name_lower < $2)
        ORDER BY name_lower, id LIMIT $3`,
      [range.gte, range.lt ?? null, limit * 5],
    );
    return rows
      .map((row) => row.record)
      .filter((user) => !exclude(user))
      .slice(0, limit);
  }

  async list(limit = 1000): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT record FROM users ORDER BY id LIMIT $1', [limit]);
    return rows.map((row) => row.record);
  }
}
