/**
 * Conversations and who belongs to them in PostgreSQL (store/conversations.ts;
 * tables in migrations/013_conversations.sql). A conversation and its first
 * members are one transaction, as LevelDB's one batch.
 */
import type pg from 'pg';
import type { MemberRole } from '../../../shared/schema.js';
import type { ConversationStore } from '../conversations.js';
import type { ConversationRecord, MembershipRecord } from '../database.js';
import { prefixRange } from '../keys.js';
import { inTransaction } from './pool.js';

interface MembershipRow {
  user_id: string;
  role: MemberRole;
  joined_at: string;
}

function membershipOf(row: MembershipRow): MembershipRecord {
  // bigint comes back as a string (pg keeps precision); join times are milliseconds, well inside a double.
  return { role: row.role, joinedAt: Number(row.joined_at) };
}

/** Inserts or updates memberships in one statement (unnest of parallel arrays). */
async function upsertMembers(db: pg.Pool | pg.PoolClient, conversationId: string, members: Map<string, MembershipRecord>): Promise<void> {
  if (members.size === 0) return;
  const entries = [...members];
  await db.query(
    `INSERT INTO memberships (conversation_id, user_id, role, joined_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = excluded.role, joined_at = excluded.joined_at`,
    [conversationId, entries.map(([userId]) => userId), entries.map(([, m]) => m.role), entries.map(([, m]) => m.joinedAt)],
  );
}

export class PostgresConversationStore implements ConversationStore {
  constructor(private readonly pool: pg.Pool) {}

  async byId(id: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.pool.query<{ record: ConversationRecord }>('SELECT record FROM conversations WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM memberships WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
    ]);
    return rowCount === 1;
  }

  async create(conversation: ConversationRecord, members: Map<string, MembershipRecord>): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO conversations (id, record) VALUES ($1, $2)', [conversation.id, { ...conversation }]);
      await upsertMembers(client, conversation.id, members);
    });
  }

  async update(conversation: ConversationRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO conversations (id, record) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET record = excluded.record',
      [conversation.id, { ...conversation }],
    );
  }

  async membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined> {
    const { rows } = await this.pool.query<MembershipRow>(
      'SELECT user_id, role, joined_at FROM memberships WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, userId],
    );
    return rows[0] && membershipOf(rows[0]);
  }

  async putMembers(conversationId: string, members: Map<string, MembershipRecord>): Promise<void> {
    await upsertMembers(this.pool, conversationId, members);
  }

  async removeMembers(conversationId: string, userIds: string[]): Promise<void> {
    await this.pool.query('DELETE FROM memberships WHERE conversation_id = $1 AND user_id = ANY($2::text[])', [conversationId, userIds]);
  }

  async members(conversationId: string): Promise<Map<string, MembershipRecord>> {
    const { rows } = await this.pool.query<MembershipRow>(
      'SELECT user_id, role, joined_at FROM memberships WHERE conversation_id = $1 ORDER BY user_id',
      [conversationId],
    );
    return new Map(rows.map((row) => [row.user_id, membershipOf(row)]));
  }

  async countIdsOf(userId: string, idPrefix: string, limit: number): Promise<number> {
    const range = prefixRange(idPrefix);
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM memberships
          WHERE user_id = $1 AND conversation_id >= $2 AND ($3::text IS NULL OR conversation_id < $3)
          LIMIT $4) AS found`,
      [userId, range.gte, range.lt ?? null, limit],
    );
    return rows[0]?.n ?? 0;
  }

  async conversationIdsOf(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      'SELECT conversation_id FROM memberships WHERE user_id = $1 ORDER BY conversation_id',
      [userId],
    );
    return rows.map((row) => row.conversation_id);
  }
}
