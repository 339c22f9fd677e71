/**
 * The PostgreSQL document log against a real PostgreSQL: the one contract
 * every log passes (document-log.contract.ts), then what only it promises:
 * one owner per document, claimed with a new epoch, and every append or
 * compaction of a process that lost the document refused whole (fenced).
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useTestSchema } from '../../testing/use-test-schema.js';
import { documentLogContract } from '../document-log.contract.js';
import { DocumentFenced, DocumentOwnedElsewhere, PostgresDocumentLog } from './postgres-document-log.js';
import { ProcessLease } from './process-lease.js';

const pg = useTestSchema({ each: true });
const leases: ProcessLease[] = [];
const leaseOf = new WeakMap<PostgresDocumentLog, ProcessLease>();

afterEach(() => {
  for (const lease of leases.splice(0)) lease.stop();
});

/** A relay process: its own identity and lease, and its log. */
async function relayProcess(leaseMs = 30_000): Promise<{ log: PostgresDocumentLog; lease: ProcessLease }> {
  const lease = await ProcessLease.start(pg.pool, { leaseMs });
  leases.push(lease);
  const log = new PostgresDocumentLog(pg.pool, lease);
  leaseOf.set(log, lease);
  return { log, lease };
}

documentLogContract('PostgreSQL', {
  open: async () => (await relayProcess()).log,
  // The same process after a restart of the log object: same identity, nothing shared in memory.
  sameStorage: (log) => {
    const lease = leaseOf.get(log as PostgresDocumentLog);
    if (!lease) throw new Error('not a log made by this file');
    return new PostgresDocumentLog(pg.pool, lease);
  },
});

function mapUpdate(key: string, value: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function mapOf(update: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

/** Resolves once PostgreSQL's clock has passed the process's lease (polled, bounded). */
async function leaseExpired(lease: ProcessLease, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pg.pool.query<{ expired: boolean }>('SELECT lease_until <= now() AS expired FROM relay_process WHERE id = $1', [
      lease.id,
    ]);
    if (rows[0]?.expired) return;
    if (Date.now() > deadline) throw new Error(`the lease of ${lease.id} did not run out within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function docRow(name: string): Promise<{ owner: string | null; epoch: number; next_clock: number }> {
  const { rows } = await pg.pool.query('SELECT owner, epoch::int, next_clock::int FROM doc WHERE name = $1', [name]);
  return rows[0];
}

it('claims a document with a new epoch at every load, for this process', async () => {
  const { log, lease } = await relayProcess();
  await log.load('conv/a');
  expect(await docRow('conv/a')).toEqual({ owner: lease.id, epoch: 1, next_clock: 0 });
  await log.load('conv/a');
  expect((await docRow('conv/a')).epoch).toBe(2);
});

it("refuses a claim once this process's own lease has run out, and changes nothing", async () => {
  const { log, lease } = await relayProcess();
  await log.load('conv/a');
  await pg.pool.query("UPDATE relay_process SET lease_until = now() - interval '1 second' WHERE id = $1", [lease.id]);
  await expect(log.load('conv/a')).rejects.toThrow(/lease has run out: it cannot claim conv\/a/);
  await expect(log.load('conv/new')).rejects.toThrow(/lease has run out/);
  expect(await docRow('conv/a')).toEqual({ owner: lease.id, epoch: 1, next_clock: 0 });
  // The new document's row was made in the refused claim's transaction, so it went with it.
  expect(await docRow('conv/new')).toBeUndefined();
});

it('loads every entry and every client owner a claim read, however many', async () => {
  const { log } = await relayProcess();
  await log.load('conv/many');
  for (let clock = 0; clock < 40; clock++) {
    const outcome = await log.append(
      'conv/many',
      { updates: [mapUpdate(`k${clock}`, clock)], clientOwners: [[1000 - clock, `user-${clock}`]] },
      clock,
    );
    expect(outcome.stored).toBe(true);
  }
  const stored = await log.load('conv/many');
  expect(stored.entries).toBe(40);
  expect(stored.nextClock).toBe(40);
  expect(mapOf(stored.update)).toEqual(Object.fromEntries(Array.from({ length: 40 }, (_, clock) => [`k${clock}`, clock])));
  expect([...stored.clientOwners].sort((a, b) => a[0] - b[0])).toEqual(
    Array.from({ length: 40 }, (_, clock) => [1000 - clock, `user-${clock}`]).sort((a, b) => (a[0] as number) - (b[0] as number)),
  );
});

it('refuses to load a document another live process owns, and claims it once that lease ran out', async () => {
  const first = await relayProcess(300);
  const second = await relayProcess();
  await first.log.load('conv/a');
  expect(await first.log.append('conv/a', { updates: [mapUpdate('before', 1)], clientOwners: [[1, 'alice']] }, 0)).toEqual({
    stored: true,
  });
  await expect(second.log.load('conv/a')).rejects.toBeInstanceOf(DocumentOwnedElsewhere);

  // The first process stops renewing (paused, or cut off from PostgreSQL), and its lease runs out on PostgreSQL's clock.
  first.lease.stop();
  await leaseExpired(first.lease);
  const claimed = await second.log.load('conv/a');
  expect(mapOf(claimed.update)).toEqual({ before: 1 });
  expect(await docRow('conv/a')).toEqual({ owner: second.lease.id, epoch: 2, next_clock: 1 });

  // The first process wakes up and writes on: fenced, and nothing of it is stored.
  expect(await first.log.append('conv/a', { updates: [mapUpdate('zombie', 2)], clientOwners: [[2, 'mallory']] }, 1)).toEqual({
    stored: false,
    nextClock: 1,
    fenced: true,
  });
  await expect(first.log.compact('conv/a', 1, mapUpdate('zombie', 3))).rejects.toBeInstanceOf(DocumentFenced);
  expect(await second.log.append('conv/a', { updates: [mapUpdate('after', 4)], clientOwners: [] }, 1)).toEqual({ stored: true });
  const stored = await second.log.load('conv/a');
  expect(mapOf(stored.update)).toEqual({ before: 1, after: 4 });
  expect([...stored.clientOwners]).toEqual([[1, 'alice']]);
  expect(stored).toMatchObject({ entries: 2, nextClock: 2 });
});

it('lets exactly one of several processes claiming a document at once win', async () => {
  const processes = await Promise.all(Array.from({ length: 5 }, () => relayProcess()));
  const outcomes = await Promise.allSettled(processes.map(({ log }) => log.load('conv/contested')));
  const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [processes[i]] : []));
  expect(winners).toHaveLength(1);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DocumentOwnedElsewhere);
  }
  expect(await docRow('conv/contested')).toEqual({ owner: winners[0].lease.id, epoch: 1, next_clock: 0 });
  // Only the winner writes.
  const results = await Promise.all(
    processes.map(({ log }) => log.append('conv/contested', { updates: [mapUpdate('k', 1)], clientOwners: [] }, 0)),
  );
  expect(results.filter((result) => result.stored)).toHaveLength(1);
  expect((await docRow('conv/contested')).next_clock).toBe(1);
});

it('tells the log when its lease is lost: the claims are dropped, appends fenced, and it claims again under a new identity', async () => {
  const { log, lease } = await relayProcess();
  await log.load('conv/a');
  await log.load('conv/b');
  const lost: string[][] = [];
  log.onOwnershipLost((names) => lost.push(names));
  const oldIdentity = lease.id;
  // As if the process was paused past its lease: PostgreSQL's clock says it ran out.
  await pg.pool.query('UPDATE relay_process SET lease_until = now() - interval $$1 second$$ WHERE id = $1', [oldIdentity]);
  await lease.renew();
  expect(lost).toEqual([['conv/a', 'conv/b']]);
  expect(lease.alive).toBe(false);
  expect(await log.append('conv/a', { updates: [mapUpdate('lost', 1)], clientOwners: [] }, 0)).toEqual({
    stored: false,
    nextClock: 0,
    fenced: true,
  });

  await lease.renew();
  expect(lease.id).not.toBe(oldIdentity);
  expect(lease.alive).toBe(true);
  await log.load('conv/a');
  expect(await docRow('conv/a')).toEqual({ owner: lease.id, epoch: 2, next_clock: 0 });
  expect(await log.append('conv/a', { updates: [mapUpdate('back', 1)], clientOwners: [] }, 0)).toEqual({ stored: true });
});

it('lets exactly one win when several claim at once a document given up before (its row there, unowned)', async () => {
  // The claims queue on the row's lock. Each then read the row's owner through a join evaluated on the snapshot taken
  // before the wait, where the row was unowned: every waiter took the document from the one before it (ownership
  // bounced between relays, edges.test.ts "three writers" failed now and then).
  const first = await relayProcess();
  await first.log.load('conv/released');
  await first.log.release('conv/released');
  const contenders = await Promise.all(Array.from({ length: 3 }, () => relayProcess()));
  const blocker = await pg.pool.connect();
  let outcomes: PromiseSettledResult<unknown>[];
  try {
    await blocker.query('BEGIN');
    await blocker.query("SELECT 1 FROM doc WHERE name = 'conv/released' FOR UPDATE");
    const { rows } = await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const loads = Promise.allSettled(contenders.map(({ log }) => log.load('conv/released')));
    // Every claim must be waiting on the lock, its snapshot taken, before the lock goes.
    const deadline = Date.now() + 5_000;
    for (;;) {
      // Waiting on the blocker, or on a claim that waits on it (the row's lock queue).
      const waiting = await pg.pool.query<{ n: number }>(
        `WITH RECURSIVE queue(pid) AS (
           SELECT $1::int UNION SELECT a.pid FROM pg_stat_activity a JOIN queue q ON q.pid = ANY(pg_blocking_pids(a.pid))
         ) SELECT count(*)::int - 1 AS n FROM queue`,
        [rows[0].pid],
      );
      if (waiting.rows[0].n === contenders.length) break;
      if (Date.now() > deadline) throw new Error(`${waiting.rows[0].n} of ${contenders.length} claims waited on the lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await blocker.query('COMMIT');
    outcomes = await loads;
  } finally {
    blocker.release();
  }
  const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [contenders[i]] : []));
  expect(winners).toHaveLength(1);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DocumentOwnedElsewhere);
  }
  expect(await docRow('conv/released')).toEqual({ owner: winners[0].lease.id, epoch: 2, next_clock: 0 });
});

it('hands a released document or a released lease to another process at once', async () => {
  const first = await relayProcess();
  const second = await relayProcess();
  await first.log.load('conv/a');
  await first.log.load('conv/b');
  await first.log.release('conv/a');
  await second.log.load('conv/a');
  await expect(second.log.load('conv/b')).rejects.toBeInstanceOf(DocumentOwnedElsewhere);
  await first.lease.release();
  await second.log.load('conv/b');
  expect((await docRow('conv/b')).owner).toBe(second.lease.id);
});

it('gives up the documents released in one turn by one statement, and leaves a claim made meanwhile alone', async () => {
  const { log, lease } = await relayProcess();
  const names = ['user/a', 'user/b', 'user/c'];
  for (const name of names) await log.load(name);
  const query = pg.pool.query.bind(pg.pool);
  const releases: unknown[] = [];
  pg.pool.query = ((...args: Parameters<typeof query>) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
    if (/SET owner = NULL/.test(text)) releases.push(args[0]);
    return query(...args);
  }) as typeof pg.pool.query;
  try {
    // user/c is released and claimed again in the same turn: the release of its old epoch must not undo the new claim.
    const reclaimed = Promise.all([...names.map((name) => log.release(name)), log.load('user/c')]);
    await reclaimed;
  } finally {
    pg.pool.query = query;
  }
  expect(releases).toHaveLength(1);
  expect(await docRow('user/a')).toEqual({ owner: null, epoch: 1, next_clock: 0 });
  expect(await docRow('user/b')).toEqual({ owner: null, epoch: 1, next_clock: 0 });
  expect(await docRow('user/c')).toEqual({ owner: lease.id, epoch: 2, next_clock: 0 });
  expect(await log.append('user/c', { updates: [mapUpdate('still', 1)], clientOwners: [] }, 0)).toEqual({ stored: true });
});

it("treats a document whose owner's process row is gone (cleaned up after an hour) as unowned", async () => {
  const first = await relayProcess();
  const second = await relayProcess();
  await first.log.load('conv/a');
  await pg.pool.query('DELETE FROM relay_process WHERE id = $1', [first.lease.id]);
  await second.log.load('conv/a');
  expect(await docRow('conv/a')).toEqual({ owner: second.lease.id, epoch: 2, next_clock: 0 });
});

it('gives the lease up when its deadline passes while a renewal hangs, and ignores that renewal when it returns', async () => {
  const { log, lease } = await relayProcess(400);
  await log.load('conv/a');
  const lost = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the lease was not given up')), 5_000);
    log.onOwnershipLost((names) => {
      clearTimeout(timer);
      resolve(names);
    });
  });
  const oldIdentity = lease.id;
  // Another transaction holds the process's row: renewals wait on its lock, as on a PostgreSQL that does not answer.
  const blocker = await pg.pool.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM relay_process WHERE id = $1 FOR UPDATE', [oldIdentity]);
    expect(await lost).toEqual(['conv/a']);
    expect(lease.alive).toBe(false);
  } finally {
    await blocker.query('ROLLBACK');
    blocker.release();
  }
  // The hung renewal returns (too late), then the next one registers a new identity.
  const deadline = Date.now() + 5_000;
  while ((!lease.alive || lease.id === oldIdentity) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(lease.id).not.toBe(oldIdentity);
  expect(lease.alive).toBe(true);
  expect(await log.append('conv/a', { updates: [mapUpdate('late', 1)], clientOwners: [] }, 0)).toMatchObject({
    stored: false,
    fenced: true,
  });
});
