/**
 * Friendships, pending friend requests and blocks in PostgreSQL
 * (store/friends.ts; tables in migrations/014_friends.sql). Accepting a
 * request is one transaction: both sides of the friendship appear and the
 * request goes, together.
 */
import type pg from 'pg';
import type { FriendRecord, FriendRequestRecord } from '../database.js';
import type { FriendStore } from '../friends.js';
import { inTransaction } from './pool.js';

interface FriendRow {
  friend_id: string;
  since: string;
  remark: string | null;
}

interface RequestRow {
  id: string;
  from_id: string;
  to_id: string;
  note: string;
  created_at: string;
}

const REQUEST_COLUMNS = 'id, from_id, to_id, note, created_at';

function friendOf(row: FriendRow): FriendRecord {
  // bigint comes back as a string (pg keeps precision); times are milliseconds, well inside a double.
  return row.remark === null ? { since: Number(row.since) } : { since: Number(row.since), remark: row.remark };
}

function requestOf(row: RequestRow): FriendRequestRecord {
  return { id: row.id, from: row.from_id, to: row.to_id, note: row.note, createdAt: Number(row.created_at) };
}

export class PostgresFriendStore implements FriendStore {
  constructor(private readonly pool: pg.Pool) {}

  async friendship(userId: string, friendId: string): Promise<FriendRecord | undefined> {
    const { rows } = await this.pool.query<FriendRow>(
      'SELECT friend_id, since, remark FROM friendships WHERE user_id = $1 AND friend_id = $2',
      [userId, friendId],
    );
    return rows[0] && friendOf(rows[0]);
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return (await this.friendship(a, b)) !== undefined;
  }

  async friendsOf(userId: string): Promise<Map<string, FriendRecord>> {
    const { rows } = await this.pool.query<FriendRow>(
      'SELECT friend_id, since, remark FROM friendships WHERE user_id = $1 ORDER BY friend_id',
      [userId],
    );
    return new Map(rows.map((row) => [row.friend_id, friendOf(row)]));
  }

  async acceptRequest(request: FriendRequestRecord, now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO friendships (user_id, friend_id, since) VALUES ($1, $2, $3), ($2, $1, $3)
         ON CONFLICT (user_id, friend_id) DO UPDATE SET since = excluded.since, remark = NULL`,
        [request.from, request.to, now],
      );
      await client.query('DELETE FROM friend_requests WHERE id = $1', [request.id]);
    });
  }

  async setRemark(userId: string, friendId: string, remark: string | undefined): Promise<void> {
    await this.pool.query('UPDATE friendships SET remark = $3 WHERE user_id = $1 AND friend_id = $2', [userId, friendId, remark ?? null]);
  }

  async unfriend(a: string, b: string): Promise<void> {
    await this.pool.query('DELETE FROM friendships WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)', [a, b]);
  }

  async request(id: string): Promise<FriendRequestRecord | undefined> {
    const { rows } = await this.pool.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM friend_requests WHERE id = $1`, [id]);
    return rows[0] && requestOf(rows[0]);
  }

  async pendingRequestBetween(from: string, to: string): Promise<FriendRequestRecord | undefined> {
    const { rows } = await this.pool.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM friend_requests WHERE from_id = $1 AND to_id = $2`, [
      from,
      to,
    ]);
    return rows[0] && requestOf(rows[0]);
  }

  async addRequest(request: FriendRequestRecord): Promise<void> {
    // Two relays adding the same direction at once: the unique (from, to) keeps the first, as the pending one.
    await this.pool.query(`INSERT INTO friend_requests (${REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      request.id,
      request.from,
      request.to,
      request.note,
      request.createdAt,
    ]);
  }

  async removeRequest(request: FriendRequestRecord): Promise<void> {
    await this.pool.query('DELETE FROM friend_requests WHERE id = $1', [request.id]);
  }

  async requestsOf(userId: string): Promise<FriendRequestRecord[]> {
    const { rows } = await this.pool.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM friend_requests WHERE from_id = $1 OR to_id = $1 ORDER BY id`,
      [userId],
    );
    return rows.map(requestOf);
  }

  async hasBlocked(blocker: string, blocked: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2', [blocker, blocked]);
    return rowCount === 1;
  }

  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1) LIMIT 1',
      [a, b],
    );
    return rowCount === 1;
  }

  async block(blocker: string, blocked: string, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO blocks (blocker_id, blocked_id, since) VALUES ($1, $2, $3) ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET since = excluded.since',
      [blocker, blocked, now],
    );
  }

  async unblock(blocker: string, blocked: string): Promise<void> {
    await this.pool.query('DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2', [blocker, blocked]);
  }

  async blockedBy(blocker: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ blocked_id: string }>(
      'SELECT blocked_id FROM blocks WHERE blocker_id = $1 ORDER BY blocked_id',
      [blocker],
    );
    return rows.map((row) => row.blocked_id);
  }
}
