/**
 * Group invite links in PostgreSQL (store/invites.ts; table in
 * migrations/015_invites.sql). A use is one `UPDATE … SET uses = uses + 1
 * WHERE <one is left> RETURNING`: of parallel joins on any relays, only as
 * many as are left get a row back.
 */
import type pg from 'pg';
import type { InviteRecord } from '../database.js';
import type { InviteStore } from '../invites.js';

interface InviteRow {
  id: string;
  conversation_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  max_uses: number;
  uses: number;
  revoked: boolean;
}

const COLUMNS = 'id, conversation_id, created_by, created_at, expires_at, max_uses, uses, revoked';

function recordOf(row: InviteRow): InviteRecord {
  // bigint comes back as a string (pg keeps precision); times are milliseconds, well inside a double.
  return {
    id: row.id,
    conversationId: row.conversation_id,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    maxUses: row.max_uses,
    uses: row.uses,
    revoked: row.revoked,
  };
}

export class PostgresInviteStore implements InviteStore {
  constructor(private readonly pool: pg.Pool) {}

  async byId(id: string): Promise<InviteRecord | undefined> {
    const { rows } = await this.pool.query<InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE id = $1`, [id]);
    return rows[0] && recordOf(rows[0]);
  }

  async create(invite: InviteRecord): Promise<void> {
    await this.pool.query(`INSERT INTO invites (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      invite.id,
      invite.conversationId,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.maxUses,
      invite.uses,
      invite.revoked,
    ]);
  }

  async ofConversation(conversationId: string): Promise<InviteRecord[]> {
    const { rows } = await this.pool.query<InviteRow>(`SELECT ${COLUMNS} FROM invites WHERE conversation_id = $1 ORDER BY id`, [
      conversationId,
    ]);
    return rows.map(recordOf);
  }

  async claimUse(id: string, now: number): Promise<InviteRecord | undefined> {
    const { rows } = await this.pool.query<InviteRow>(
      `UPDATE invites SET uses = uses + 1
        WHERE id = $1 AND NOT revoked AND expires_at > $2 AND (max_uses = 0 OR uses < max_uses)
        RETURNING ${COLUMNS}`,
      [id, now],
    );
    return rows[0] && recordOf(rows[0]);
  }

  async releaseUse(id: string): Promise<void> {
    await this.pool.query('UPDATE invites SET uses = uses - 1 WHERE id = $1 AND uses > 0', [id]);
  }

  async revoke(id: string): Promise<void> {
    await this.pool.query('UPDATE invites SET revoked = true WHERE id = $1', [id]);
  }

  async revokeAllOf(conversationId: string): Promise<void> {
    await this.pool.query('UPDATE invites SET revoked = true WHERE conversation_id = $1 AND NOT revoked', [conversationId]);
  }
}
