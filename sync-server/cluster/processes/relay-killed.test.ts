/**
 * Issue 11, test 2, with three relay processes: the document's owner
 * SIGKILLed three times while three people write steadily, each time started
 * again on its port; and an edge SIGKILLed, which nobody on the other relays
 * notices.
 */
import { expect, it } from 'vitest';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { numbered, oneTo, sortedNumbers, useRelayCluster, writeSteadily } from '../../testing/relay-cluster.js';
import { closeCodesOf } from '../../testing/synced-client.js';
import { waitFor } from '../../testing/wait-for.js';

const cluster = useRelayCluster();

it('SIGKILLs the owner three times under load: every number anyone saw is the one in the log, none lost or doubled, replicas converge', async () => {
  const { docName, writers, seen } = await cluster.startThreeWriters();
  const load = writeSteadily(writers, 50);

  for (let round = 1; round <= 3; round++) {
    const owner = await cluster.waitForOwner(docName);
    const killedClaim = await cluster.ownerLeaseOf(docName);
    expect(killedClaim).not.toBeNull();
    await owner.kill();
    const restarted = owner.start();
    // A message written after the kill, on a relay that still runs, is numbered once another relay took over.
    const survivor = writers.find(({ relay }) => relay !== owner) ?? writers[0];
    const marker = writeMessage(survivor.client.doc, survivor.person.id, `after kill ${round}`);
    load.written.push(marker.id);
    await waitFor(survivor.client.doc, () => seqIndexOf(survivor.client.doc).has(marker.id), 20_000, `a delivery after kill ${round}`);
    // Whoever numbers now holds a new claim: another relay, or the killed one's restart (its writer reconnects there and may claim first).
    await restarted;
    const successor = await cluster.waitForNewClaim(docName, killedClaim ?? '');
    console.log(`kill ${round}: ${owner.name} killed, ${successor.name} claimed${successor === owner ? ' (its restart)' : ''}`);
  }
  load.stop();

  for (const { client } of writers)
    await waitFor(client.doc, () => load.written.every((id) => seqIndexOf(client.doc).has(id)), 30_000, 'every written message numbered');
  const stored = await cluster.stored(docName);
  await waitFor(
    writers.map((w) => w.client.doc),
    () => writers.every(({ client }) => seqIndexOf(client.doc).size === seqIndexOf(stored).size),
    10_000,
  );
  // None lost: every message written is numbered; none doubled: the numbers are exactly 1..N.
  expect(sortedNumbers(stored)).toEqual(oneTo(seqIndexOf(stored).size));
  expect(seqIndexOf(stored).size).toBeGreaterThanOrEqual(load.written.length);
  for (const { client } of writers) expect(numbered(client.doc)).toEqual(numbered(stored));
  // Every number any replica ever showed is the one the log holds: nothing was shown and then lost or renumbered.
  for (const numbers of seen) for (const [id, shown] of numbers) expect({ id, shown }).toEqual({ id, shown: [seqIndexOf(stored).get(id)] });
}, 240_000);

it('SIGKILLs an edge: the clients on the other relays see no close at all; its own client reconnects and goes on', async () => {
  const { docName, writers } = await cluster.startThreeWriters();
  const owner = await cluster.waitForOwner(docName);
  const [edgeWriter, ...others] = [...writers].sort((a, b) => Number(a.relay === owner) - Number(b.relay === owner));
  const othersCloses = others.map(({ client }) => closeCodesOf(client));
  const load = writeSteadily(writers, 50);

  await edgeWriter.relay.kill();
  const during = writeMessage(others[0].client.doc, others[0].person.id, 'while the edge is down');
  load.written.push(during.id);
  await waitFor(others[1].client.doc, () => seqIndexOf(others[1].client.doc).has(during.id), 10_000, 'delivery while the edge is down');
  await edgeWriter.relay.start();
  const back = writeMessage(edgeWriter.client.doc, edgeWriter.person.id, 'back on the restarted edge');
  load.written.push(back.id);
  await waitFor(others[0].client.doc, () => seqIndexOf(others[0].client.doc).has(back.id), 20_000, 'the edge client back');
  load.stop();

  for (const { client } of writers)
    await waitFor(client.doc, () => load.written.every((id) => seqIndexOf(client.doc).has(id)), 20_000, 'every written message numbered');
  expect(othersCloses).toEqual([[], []]);
  expect(await cluster.ownerOf(docName)).toBe(owner);
  const stored = await cluster.stored(docName);
  expect(sortedNumbers(stored)).toEqual(oneTo(seqIndexOf(stored).size));
  for (const { client } of writers) await waitFor(client.doc, () => seqIndexOf(client.doc).size === seqIndexOf(stored).size, 10_000);
  for (const { client } of writers) expect(numbered(client.doc)).toEqual(numbered(stored));
}, 180_000);
