/**
 * Issue 11, test 4, with three relay processes: the owner SIGSTOPped past its
 * lease while people write, another relay claims the document, then SIGCONT.
 * The woken relay must not store anything under its old claim: its sockets
 * close with 1013 and what its client wrote meanwhile arrives, numbered once.
 *
 * On waking, a real process reads what its sockets hold in its first turn
 * and judges its overdue lease right after (process-lease.ts waits for that
 * read, so a renewal answered in time is not taken for a lost one): it gives
 * its rooms up then, and the epoch fence refuses any commit that got in
 * first (store/postgres/zombie-owner.test.ts forces that case with exact
 * clocks). This test counts which of the two stopped it.
 */
import { expect, it } from 'vitest';
import { CloseCode } from '../../../shared/protocol.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { nextClose, numbered, oneTo, sortedNumbers, useRelayCluster, writeSteadily } from '../../testing/relay-cluster.js';
import { waitFor } from '../../testing/wait-for.js';

const cluster = useRelayCluster();
const LEASE_MS = 1000;

it('a zombie owner (SIGSTOP past its lease, another relay claims, SIGCONT) stores nothing under its old claim, closes its sockets with 1013, and loses nothing', async () => {
  const { docName, writers, seen } = await cluster.startThreeWriters({ leaseMs: LEASE_MS });
  const zombie = await cluster.waitForOwner(docName);
  const onZombie = writers.find(({ relay }) => relay === zombie) ?? writers[0];
  const others = writers.filter((writer) => writer !== onZombie);
  const load = writeSteadily(others, 100);
  const first = writeMessage(onZombie.client.doc, onZombie.person.id, 'before the pause');
  await waitFor(others[0].client.doc, () => seqIndexOf(others[0].client.doc).has(first.id), 10_000, 'a first delivery');

  const lostBefore = await zombie.metric('happychat_lease_renewals_total', 'outcome="lost"');
  const fencedBefore = await zombie.metric('happychat_commit_seconds_count', 'outcome="refused"');
  zombie.pause();
  // Written to the frozen relay: its socket takes the bytes, nobody answers. Its client keeps the change.
  const held = writeMessage(onZombie.client.doc, onZombie.person.id, 'written to the frozen owner');
  const successor = await cluster.waitForOwner(docName, zombie);
  const marker = writeMessage(others[0].client.doc, others[0].person.id, 'after the takeover');
  await waitFor(others[1].client.doc, () => seqIndexOf(others[1].client.doc).has(marker.id), 20_000, 'a delivery after the takeover');
  const closed = nextClose(onZombie.client, 15_000);
  zombie.resume();

  expect(await closed).toBe(CloseCode.tryAgainLater);
  load.stop();
  const written = [first.id, held.id, marker.id, ...load.written];
  for (const { client } of writers)
    await waitFor(client.doc, () => written.every((id) => seqIndexOf(client.doc).has(id)), 20_000, 'every written message numbered');

  // Stopped by its own lease (lost) or by the fence (a refused commit), and nothing stored under its old claim.
  const lost = (await zombie.metric('happychat_lease_renewals_total', 'outcome="lost"')) - lostBefore;
  const fenced = (await zombie.metric('happychat_commit_seconds_count', 'outcome="refused"')) - fencedBefore;
  console.info(`zombie woke up: lease lost ${lost} time(s), ${fenced} commit(s) fenced`);
  expect(lost + fenced).toBeGreaterThanOrEqual(1);
  expect(await cluster.ownerOf(docName)).toBe(successor);
  const stored = await cluster.stored(docName);
  expect(sortedNumbers(stored)).toEqual(oneTo(seqIndexOf(stored).size));
  for (const { client } of writers) await waitFor(client.doc, () => seqIndexOf(client.doc).size === seqIndexOf(stored).size, 10_000);
  for (const { client } of writers) expect(numbered(client.doc)).toEqual(numbered(stored));
  for (const numbers of seen) for (const [id, shown] of numbers) expect({ id, shown }).toEqual({ id, shown: [seqIndexOf(stored).get(id)] });
}, 120_000);
