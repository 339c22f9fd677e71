/**
 * A busy relay keeps its lease (issue 11, session 15): the renewal neither
 * waits behind the shared pool's work nor is declared late while its answer
 * waits unread behind a held main thread. Real PostgreSQL. That a lease truly
 * missed is still lost is the zombie-owner tests' business.
 */
import { afterEach, expect, it } from 'vitest';
import { quietLogger } from '../../testing/quiet-logger.js';
import { useTestSchema } from '../../testing/use-test-schema.js';
import { openPostgresStorage, type PostgresStorage } from './postgres-storage.js';
import { ProcessLease } from './process-lease.js';

const pg = useTestSchema();
const opened: Array<{ close(): Promise<void> | void }> = [];

afterEach(async () => {
  for (const each of opened.splice(0)) await each.close();
});

/** Holds the main thread for `ms`, as a relay on a loaded machine is held between two turns of its event loop. */
function blockMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: nothing else of this process may run meanwhile.
  }
}

async function leaseRunsInPostgres(storage: PostgresStorage): Promise<boolean> {
  const { rows } = await pg.pool.query<{ live: boolean }>('SELECT lease_until > now() AS live FROM relay_process WHERE id = $1', [
    storage.lease.id,
  ]);
  return rows[0]?.live === true;
}

it("keeps the lease while every connection of the relay's pool is held by other work for three leases", async () => {
  const leaseMs = 600;
  const storage = await openPostgresStorage({ ...pg.config, poolSize: 1, leaseMs }, quietLogger);
  opened.push(storage);
  const firstId = storage.lease.id;
  // The pool's one connection busy (a long group commit, a claim, a search write): the renewal must not wait for it.
  const held = await storage.pool.connect();
  try {
    await held.query('SELECT pg_sleep($1::double precision / 1000)', [leaseMs * 3]);
  } finally {
    held.release();
  }
  expect(storage.lease.renewals.lost).toBe(0);
  expect(storage.lease.id).toBe(firstId);
  expect(storage.lease.alive).toBe(true);
  expect(await leaseRunsInPostgres(storage)).toBe(true);
});

it('does not give up a lease whose renewal PostgreSQL answered while the main thread was held past the old deadline', async () => {
  const leaseMs = 400;
  const lease = await ProcessLease.start(pg.pool, { leaseMs, renewEveryMs: 50, log: quietLogger });
  opened.push({ close: () => lease.stop() });
  await lease.renew();
  // The next renewal leaves at least 100 ms after the last one, so its lease ends at least 100 ms after the current one.
  blockMainThread(100);
  const renewal = lease.renew();
  // Written to PostgreSQL's socket (pg sends on a later tick at most), then the thread held past the current deadline
  // but short of the new one: the answer waits in the socket, and a tick is due.
  for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => process.nextTick(resolve));
  blockMainThread(leaseMs - 50);
  await renewal;
  expect(lease.renewals.lost).toBe(0);
  expect(lease.alive).toBe(true);
});
