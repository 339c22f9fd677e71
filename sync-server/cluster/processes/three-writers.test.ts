/**
 * Issue 11, test 1, with three relay processes: three writers on three
 * relays, numbered exactly 1..N with identical replicas everywhere, and a
 * forged author sent through an edge closed with 4400 and seen by nobody.
 */
import { expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../../shared/testing/text-message.js';
import { openRawSession } from '../../testing/raw-session.js';
import { groupThrough, numbered, sortedNumbers, oneTo, useRelayCluster } from '../../testing/relay-cluster.js';
import { whenSynced } from '../../testing/synced-client.js';
import { createUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';

const cluster = useRelayCluster();

// The 500 per writer (1,500 messages) by default; CLUSTER_MESSAGES_PER_WRITER makes a quicker run.
const PER_WRITER = Number(process.env.CLUSTER_MESSAGES_PER_WRITER) || 500;

it(`numbers ${PER_WRITER} messages from each of three writers on three relay processes 1..N exactly, with identical replicas and log; a forged author through an edge gets 4400 and reaches nobody`, async () => {
  // Each writer bursts all its messages at once, past the per-connection update rate (4429 on one relay too): raised,
  // since this test is about numbering across relays, not about rate limits.
  const rate = String(PER_WRITER * 4);
  // The default lease (5 s): a relay busy with a burst of 1,500 messages on a loaded machine can miss a 1 s lease.
  const relays = await cluster.start(3, {
    leaseMs: 5000,
    env: { RELAY_UPDATE_BURST: rate, RELAY_UPDATES_PER_SECOND: rate, RELAY_USER_UPDATE_BURST: rate, RELAY_USER_UPDATES_PER_SECOND: rate },
  });
  const people = [await createUser(relays[0], 'Ada'), await createUser(relays[0], 'Bob'), await createUser(relays[0], 'Cy')];
  const mallory = await createUser(relays[0], 'Mallory');
  const docName = convDocName(await groupThrough(relays[0], people[0], [...people.slice(1), mallory]));
  const writers = people.map((person, i) => cluster.open(relays[i], person, docName));
  await Promise.all(writers.map(whenSynced));
  const owner = await cluster.waitForOwner(docName);
  const started = performance.now();
  // The group starts with its system message(s), numbered first.
  const before = seqIndexOf(writers[0].doc).size;
  const TOTAL = before + PER_WRITER * people.length;

  // All three write at once, in small bursts, so batches from every relay interleave at the owner.
  for (let i = 0; i < PER_WRITER; i++) {
    people.forEach((person, w) => writeMessage(writers[w].doc, person.id, `${person.name} ${i}`));
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  for (const writer of writers) await waitFor(writer.doc, () => seqIndexOf(writer.doc).size === TOTAL, 60_000, `all ${TOTAL} numbered`);

  console.info(`${TOTAL} messages from three relays numbered everywhere in ${Math.round(performance.now() - started)} ms`);
  expect(sortedNumbers(writers[0].doc)).toEqual(oneTo(TOTAL));
  const first = numbered(writers[0].doc);
  for (const writer of writers.slice(1)) expect(numbered(writer.doc)).toEqual(first);
  expect(numbered(await cluster.stored(docName))).toEqual(first);
  // One owner all along; the two others served their writers as edges.
  expect((await cluster.ownerOf(docName))?.name).toBe(owner.name);
  const edges = await Promise.all(relays.map((relay) => relay.metric('happychat_documents_edge')));
  expect(edges.filter((count) => count === 1)).toHaveLength(2);
  expect(edges[relays.indexOf(owner)]).toBe(0);

  // Mallory, on a relay that is not the owner, writes a message under Ada's name.
  const edge = relays.find((relay) => relay !== owner) ?? relays[0];
  const attacker = await openRawSession(edge, mallory, docName);
  cluster.track({ destroy: () => attacker.close() });
  await attacker.synced;
  const forged = textMessage(people[0].id, 'I owe Mallory 1000 €');
  attacker.write((doc) => messagesOf(doc).set(forged.id, forged));
  expect((await attacker.closed).code).toBe(CloseCode.invalidUpdate);
  // A later message reaches every replica; the forged one, which would have been stored before it, never does.
  const after = writeMessage(writers[0].doc, people[0].id, 'after the attack');
  for (const writer of writers)
    await waitFor(writer.doc, () => seqIndexOf(writer.doc).get(after.id) === TOTAL + 1, 10_000, 'the later message everywhere');
  for (const doc of [...writers.map((w) => w.doc), await cluster.stored(docName)]) expect(messagesOf(doc).has(forged.id)).toBe(false);
}, 120_000);
