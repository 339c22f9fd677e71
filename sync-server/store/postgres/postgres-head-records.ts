/**
 * Shared conversation heads in PostgreSQL (participants/head-table.ts; the
 * table in migrations/026_shared_heads.sql), for a cluster: the relay that
 * owns a conversation writes its head, every relay reads them for its
 * members' catch-up (relay/mux-heads.ts).
 *
 * `rev` is numbered by the store, from one sequence for every relay
 * (`putNext`): a client's `since` is the highest rev it holds across all its
 * conversations, written by different relays, so revs must grow across
 * processes, which clocks that differ by a few ms do not give. Gaps (a
 * write that failed after taking its number) are harmless: rev only orders
 * heads, unlike a message's `seq`, which counts messages and must not skip.
 *
 * What a sequence does not give is commit order: a head numbered 10 may be
 * committed, and published, after one numbered 11 by another relay. A client
 * that got 11 and reconnects before 10 reaches it asks with `since` 11; so a
 * catch-up also sends the heads written in the last `recentMs` (by the
 * database's clock) whatever their rev. The client keeps the highest rev
 * per conversation, so a head sent twice changes nothing.
 */
import type pg from 'pg';
import type { SharedHead } from '../../../shared/heads.js';
import type { HeadRecord, HeadRecords } from '../../participants/head-table.js';

/** How far back a catch-up sends heads whatever their rev: far more than a commit and a publish over the bus take. */
export const RECENT_HEADS_MS = 30_000;

interface Row {
  conversation_id: string;
  rev: string;
  head: SharedHead;
}

function recordsFrom(rows: readonly Row[]): Map<string, HeadRecord> {
  // bigint arrives as a string; revs stay far below 2^53 (a sequence, or ms since the epoch copied from LevelDB).
  return new Map(rows.map((row) => [row.conversation_id, { head: row.head, rev: Number(row.rev) }]));
}

/** Stores a head with the relay's next group commit (group-append.ts, `rideHead`): its rev, or null when a later one was stored first. */
export type RideHead = (conversationId: string, json: string) => Promise<number | null>;

export class PostgresHeadRecords implements HeadRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly recentMs = RECENT_HEADS_MS,
    /** A relay's heads ride its document log's group commits rather than a transaction each (issue 11); absent: one statement each. */
    private readonly rideHead: RideHead | null = null,
  ) {}

  async put(conversationId: string, record: HeadRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO shared_heads (conversation_id, rev, head) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE SET rev = excluded.rev, head = excluded.head, written_at = excluded.written_at`,
      [conversationId, record.rev, JSON.stringify(record.head)],
    );
    // The sequence goes on above it: a later putNext never numbers a head below this one.
    await this.pool.query("SELECT setval('shared_head_rev', $1) WHERE $1 > (SELECT last_value FROM shared_head_rev)", [record.rev]);
  }

  async putNext(conversationId: string, head: SharedHead): Promise<HeadRecord> {
    if (this.rideHead) {
      const rev = await this.rideHead(conversationId, JSON.stringify(head));
      return rev === null ? this.storedNewer(conversationId) : { head, rev };
    }
    const { rows } = await this.pool.query<{ rev: string }>(
      `INSERT INTO shared_heads (conversation_id, rev, head) VALUES ($1, nextval('shared_head_rev'), $2)
       ON CONFLICT (conversation_id) DO UPDATE SET rev = excluded.rev, head = excluded.head, written_at = excluded.written_at
       WHERE shared_heads.rev < excluded.rev
       RETURNING rev`,
      [conversationId, JSON.stringify(head)],
    );
    if (rows.length > 0) return { head, rev: Number(rows[0].rev) };
    return this.storedNewer(conversationId);
  }

  /** Two relays wrote a head at once (an owner handing over) and one numbered later got there first: the stored one is the newest. */
  private async storedNewer(conversationId: string): Promise<HeadRecord> {
    const stored = (await this.recordsOf([conversationId])).get(conversationId);
    if (!stored) throw new Error(`the head of ${conversationId} was neither written nor found`);
    return stored;
  }

  async recordsOf(conversationIds: readonly string[]): Promise<Map<string, HeadRecord>> {
    if (conversationIds.length === 0) return new Map();
    const { rows } = await this.pool.query<Row>('SELECT conversation_id, rev, head FROM shared_heads WHERE conversation_id = ANY($1)', [
      [...conversationIds],
    ]);
    return recordsFrom(rows);
  }

  async recordsSince(conversationIds: readonly string[], since: number): Promise<Map<string, HeadRecord>> {
    if (conversationIds.length === 0) return new Map();
    const { rows } = await this.pool.query<Row>(
      `SELECT conversation_id, rev, head FROM shared_heads
        WHERE conversation_id = ANY($1) AND (rev > $2 OR written_at > clock_timestamp() - make_interval(secs => $3))`,
      [[...conversationIds], since, this.recentMs / 1000],
    );
    return recordsFrom(rows);
  }
}
