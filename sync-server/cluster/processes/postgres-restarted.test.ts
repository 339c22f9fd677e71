/**
 * Issue 11, test 5, with three relay processes on a PostgreSQL of the test's
 * own (private-postgres.ts: the shared one is never stopped): PostgreSQL
 * stopped with `pg_ctl stop -m immediate` while people write, and started
 * again. Clients are closed with 1013 and come back; nothing committed is
 * lost; the same relays, not restarted, serve on.
 */
import { expect, it } from 'vitest';
import { CloseCode } from '../../../shared/protocol.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { usePrivatePostgres } from '../../testing/private-postgres.js';
import { nextClose, useRelayCluster, writeSteadily } from '../../testing/relay-cluster.js';
import { expectStoredNumbering } from '../../testing/stored-numbering.js';
import { waitFor } from '../../testing/wait-for.js';

const privatePostgres = usePrivatePostgres();
const cluster = useRelayCluster();

it('PostgreSQL stopped (immediate) and started under load: clients get 1013, nothing committed is lost, the same relays serve on', async () => {
  const postgres = await privatePostgres.create();
  const { relays, people, docName, writers, seen } = await cluster.startThreeWriters({ databaseUrl: postgres.url, leaseMs: 2000 });
  const pids = relays.map((relay) => relay.pid);
  const load = writeSteadily(writers, 100);
  const first = writeMessage(writers[0].client.doc, people[0].id, 'before the stop');
  load.written.push(first.id);
  for (const { client } of writers) await waitFor(client.doc, () => seqIndexOf(client.doc).has(first.id), 10_000, 'a first delivery');

  // The owner's clients learn of the outage from their next write, an edge's from the owner's answer to its next
  // forward: within a few seconds. (A close that took 30 s and more was the owner process dying with PostgreSQL:
  // a lost connection it had checked out went unheard, store/postgres/pool.test.ts. Its edges could then ask
  // nobody, and their clients waited for their own silence timeout.)
  const closes = writers.map(({ client }) => nextClose(client, 30_000));
  await postgres.stopImmediately();
  const codes = await Promise.all(closes);
  // Every relay lived through it (the owner used to die of a lost connection): its stderr says why if not.
  expect(relays.filter((relay) => !relay.running).map((relay) => `${relay.name}: ${relay.recentWarnings}`)).toEqual([]);
  await postgres.start();
  const after = writeMessage(writers[1].client.doc, people[1].id, 'after PostgreSQL is back');
  load.written.push(after.id);
  for (const { client } of writers)
    await waitFor(client.doc, () => seqIndexOf(client.doc).has(after.id), 60_000, 'delivery after the restart');
  load.stop();

  console.info('close codes while PostgreSQL was down', codes);
  expect(codes).toEqual([CloseCode.tryAgainLater, CloseCode.tryAgainLater, CloseCode.tryAgainLater]);
  // Every number shown before, during and after the outage is the one stored: nothing committed was lost.
  await expectStoredNumbering({ cluster, docName, writers, written: load.written, seen });
  expect(relays.map((relay) => relay.pid)).toEqual(pids);
  expect(relays.map((relay) => relay.running)).toEqual([true, true, true]);
}, 240_000);
