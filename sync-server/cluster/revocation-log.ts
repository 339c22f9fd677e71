/**
 * Revocations kept in PostgreSQL for a short while, the second path beside
 * the bus: every relay re-reads the recent ones twice a second and applies
 * those it has not applied yet, so a sign-out or a removal cuts off the
 * sockets other relays hold within a second even while Redis is down
 * (docs/SCALING.md, "Redis"). Rows are read by time on PostgreSQL's clock
 * over a window much longer than the interval, never "after the last id":
 * identity values are handed out before commit, so a smaller id can become
 * visible after a larger one, and reading by id would skip it for good.
 */
import type pg from 'pg';
import type { Revocation } from '../relay/revocation.js';
import { revocationChannel } from './bus-channels.js';

/** How far back each read looks: far more than one interval, so a late commit or a slow read is still caught. */
const LOOKBACK_SECONDS = 10;
/** Rows older than this are deleted; a relay down for longer reloads everything at start anyway. */
const KEEP_SECONDS = 3600;

export interface RecentRevocation {
  id: string;
  revocation: Revocation;
}

export class RevocationLog {
  constructor(private readonly pool: pg.Pool) {}

  async record(revocation: Revocation): Promise<void> {
    await this.pool.query('INSERT INTO revocations (revocation) VALUES ($1)', [Buffer.from(revocationChannel.encode(revocation))]);
  }

  /** The revocations of the last few seconds, oldest first; rows that do not decode are skipped. */
  async recent(): Promise<RecentRevocation[]> {
    const { rows } = await this.pool.query<{ id: string; revocation: Buffer }>(
      'SELECT id::text AS id, revocation FROM revocations WHERE created_at > now() - make_interval(secs => $1) ORDER BY id',
      [LOOKBACK_SECONDS],
    );
    return rows.flatMap(({ id, revocation }) => {
      const decoded = revocationChannel.decode(new Uint8Array(revocation));
      return decoded ? [{ id, revocation: decoded }] : [];
    });
  }

  /** Deletes rows nobody needs any more. */
  async prune(): Promise<void> {
    await this.pool.query('DELETE FROM revocations WHERE created_at < now() - make_interval(secs => $1)', [KEEP_SECONDS]);
  }
}
