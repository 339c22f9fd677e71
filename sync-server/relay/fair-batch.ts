/**
 * Which waiting jobs a room handles in its next batch. A room handles its
 * inbox one batch at a time (apply, store, broadcast), and a member's update
 * is answered only when its batch is done. Taking the whole inbox let one
 * person's burst (their whole write quota at once: megabytes of updates
 * over dozens of sockets) fill a batch that took most of a second, and
 * every other member's message waited behind it (issue 20, the load test).
 *
 * So each person adds at most `sliceBytes` to a batch (their first job
 * always fits, so a large single update still goes through); the rest waits
 * for the next batches, in order. A connection's jobs stay in the order it
 * sent them: once one of its jobs waits, all its later ones wait too.
 * Server changes are never held back.
 */
import type { Connection } from './connection.js';

/** What one person may add to one batch: about 50 ms of applying and storing on a small machine. */
export const BATCH_BYTES_PER_PERSON = 64 * 1024;
/** The least a job counts for, so a flood of tiny frames is sliced too. */
const MIN_JOB_COST = 1024;

/** The connection a job came from and the bytes it brings; null for the server's own jobs. */
export type JobCost = { connection: Pick<Connection, 'identity'>; bytes: number } | null;

/** Splits `inbox` into the jobs to handle now and those to keep, both in their original order. */
export function takeFairBatch<J>(
  inbox: readonly J[],
  costOf: (job: J) => JobCost,
  sliceBytes = BATCH_BYTES_PER_PERSON,
): { now: J[]; later: J[] } {
  const now: J[] = [];
  const later: J[] = [];
  const taken = new Map<string, number>();
  const held = new Set<Pick<Connection, 'identity'>>();
  for (const job of inbox) {
    const cost = costOf(job);
    if (cost === null) {
      now.push(job);
      continue;
    }
    const person = cost.connection.identity.userId;
    const used = taken.get(person);
    const bytes = Math.max(cost.bytes, MIN_JOB_COST);
    if (held.has(cost.connection) || (used !== undefined && used + bytes > sliceBytes)) {
      held.add(cost.connection);
      later.push(job);
      continue;
    }
    taken.set(person, (used ?? 0) + bytes);
    now.push(job);
  }
  return { now, later };
}
