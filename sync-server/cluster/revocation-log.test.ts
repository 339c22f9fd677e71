/**
 * The revocation log (revocation-log.ts) and the path through it in
 * ClusterRevocations, on a real PostgreSQL with no Redis at all: a
 * revocation recorded by one relay is applied by another within 1 s, once;
 * and one whose id became visible after a larger id's (identity values are
 * handed out before commit) is not skipped.
 */
import { expect, it } from 'vitest';
import type { Revocation, SocketRevoker } from '../relay/revocation.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestSchema } from '../testing/use-test-schema.js';
import { ClusterRevocations, REVOCATION_POLL_MS } from './cluster-revocations.js';
import { RevocationLog } from './revocation-log.js';
import { revocationChannel } from './bus-channels.js';

const postgres = useTestSchema({ each: true });

/** A relay's sockets, as far as revocations go: it records what it was told to close, and when. */
class RecordingRelay implements SocketRevoker {
  readonly applied: Revocation[] = [];
  private waiter: (() => void) | undefined;

  revoke(revocation: Revocation): void {
    this.applied.push(revocation);
    this.waiter?.();
  }

  /** Resolves once `count` revocations were applied; fails after `timeoutMs`. */
  until(count: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.applied.length} of ${count} revocations applied`)), timeoutMs);
      this.waiter = () => {
        if (this.applied.length < count) return;
        clearTimeout(timer);
        resolve();
      };
      this.waiter();
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

it('carries a revocation from one relay to another within 1 s, and applies it once', async () => {
  const [here, there] = [new RecordingRelay(), new RecordingRelay()];
  const sender = await ClusterRevocations.start(here, { log: new RevocationLog(postgres.pool) }, quietLogger);
  const receiver = await ClusterRevocations.start(there, { log: new RevocationLog(postgres.pool) }, quietLogger);
  try {
    const revocation: Revocation = { kind: 'member-removed', conversationId: 'c1', userId: 'bob' };
    const started = performance.now();
    sender.revoke(revocation);
    expect(here.applied).toEqual([revocation]); // This relay at once, before any path.
    await there.until(1, 1000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(there.applied).toEqual([revocation]);
    await delay(3 * REVOCATION_POLL_MS);
    expect(there.applied).toHaveLength(1);
  } finally {
    await sender.close();
    await receiver.close();
  }
});

it('applies a revocation whose id became visible after a larger one (reading by time, not after the last id)', async () => {
  const there = new RecordingRelay();
  const receiver = await ClusterRevocations.start(there, { log: new RevocationLog(postgres.pool) }, quietLogger);
  const slow = await postgres.pool.connect();
  try {
    const insert = 'INSERT INTO revocations (revocation) VALUES ($1)';
    const first: Revocation = { kind: 'session-ended', sessionId: 'takes its id first, commits last' };
    const second: Revocation = { kind: 'session-ended', sessionId: 'takes its id second, commits first' };
    await slow.query('BEGIN');
    await slow.query(insert, [Buffer.from(revocationChannel.encode(first))]);
    await postgres.pool.query(insert, [Buffer.from(revocationChannel.encode(second))]);
    await there.until(1, 2000);
    await slow.query('COMMIT');
    await there.until(2, 2000);
    expect(there.applied).toEqual([second, first]);
  } finally {
    slow.release();
    await receiver.close();
  }
});

it('skips rows that are not a revocation and keeps reading', async () => {
  const there = new RecordingRelay();
  const receiver = await ClusterRevocations.start(there, { log: new RevocationLog(postgres.pool) }, quietLogger);
  try {
    await postgres.pool.query('INSERT INTO revocations (revocation) VALUES ($1)', [Buffer.from([7, 7, 7])]);
    await new RevocationLog(postgres.pool).record({ kind: 'visitor-blocked', sessionId: 'visitor:v' });
    await there.until(1, 2000);
    expect(there.applied).toEqual([{ kind: 'visitor-blocked', sessionId: 'visitor:v' }]);
  } finally {
    await receiver.close();
  }
});
