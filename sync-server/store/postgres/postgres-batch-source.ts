/**
 * What an edge reads when it follows a document another relay owns
 * (cluster/document-follower.ts): the committed log from a clock on, in one
 * statement, so one snapshot. After a compaction the merged entry sits at
 * the clock below the compaction's and holds everything before it, so
 * "every entry at or above `fromClock`" always covers every change from
 * `fromClock` on (it may start earlier, which Yjs absorbs).
 */
import type pg from 'pg';
import * as Y from 'yjs';
import type { BatchSource } from '../../cluster/document-follower.js';
import type { CommittedBatch } from '../../cluster/bus-channels.js';

export class PostgresBatchSource implements BatchSource {
  constructor(private readonly pool: pg.Pool) {}

  async readSince(docName: string, fromClock: number): Promise<CommittedBatch | null> {
    const { rows } = await this.pool.query<{ clock: string; update: Buffer }>(
      'SELECT clock, update FROM doc_update WHERE name = $1 AND clock >= $2 ORDER BY clock',
      [docName, fromClock],
    );
    if (rows.length === 0) return null;
    const updates = rows.map((row) => new Uint8Array(row.update));
    return {
      docName,
      fromClock,
      toClock: Number(rows[rows.length - 1].clock) + 1,
      update: updates.length === 1 ? updates[0] : Y.mergeUpdates(updates),
    };
  }
}
