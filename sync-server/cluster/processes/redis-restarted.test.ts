/**
 * Issue 11, test 3, with three relay processes on a Redis of the test's own:
 * Redis SIGKILLed and started again while three people write. Redis carries
 * frames, never the only copy: nothing is lost, delivery resumes, and the
 * edges' refills from PostgreSQL show on /metrics. An edge whose sockets all
 * closed in the outage (forwarding failed) closed its room, and catches up
 * by opening it afresh, a whole read (happychat_edge_opens_total), not a
 * refill: only an edge that kept its room must count a refill. An edge whose
 * bus is back also asks its clients again for what its replica lacks (an
 * owner's close, and the frames it dropped, may have been lost meanwhile:
 * cluster-edges.ts).
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { usePrivateRedis } from '../../testing/private-redis.js';
import { type ClusterWriter, type RelayCluster, useRelayCluster, writeSteadily } from '../../testing/relay-cluster.js';
import { expectStoredNumbering } from '../../testing/stored-numbering.js';
import { waitFor } from '../../testing/wait-for.js';

const privateRedis = usePrivateRedis();
const cluster = useRelayCluster();

it('SIGKILLs Redis and starts it again under load: nothing lost, delivery resumes, gap refills counted on /metrics', async () => {
  const redis = await privateRedis.start();
  const { relays, people, docName, writers, seen } = await cluster.startThreeWriters({ redisUrl: redis.url, leaseMs: 2000 });
  const owner = await cluster.waitForOwner(docName);
  const timeline = recordTimeline(writers);
  const load = writeSteadily(writers, 50);
  const reconnectsBefore = await Promise.all(relays.map((relay) => relay.metric('happychat_redis_reconnects_total')));
  const refillsBefore = await Promise.all(relays.map((relay) => relay.metric('happychat_gap_refills_total')));
  const opensBefore = await Promise.all(relays.map((relay) => relay.metric('happychat_edge_opens_total')));
  const first = writeMessage(writers[0].client.doc, people[0].id, 'before the crash');
  load.written.push(first.id);
  for (const { client } of writers) await waitFor(client.doc, () => seqIndexOf(client.doc).has(first.id), 10_000, 'a first delivery');

  timeline.note('Redis killed');
  await redis.kill();
  // Written while Redis is gone: an edge cannot forward it (its socket closes with 1013, the client keeps it).
  const edgeWriter = writers.find(({ relay }) => relay !== owner) ?? writers[0];
  const during = writeMessage(edgeWriter.client.doc, edgeWriter.person.id, 'while Redis is down');
  load.written.push(during.id);
  await redis.start();
  timeline.note('Redis started');
  const after = writeMessage(writers[0].client.doc, people[0].id, 'after Redis is back');
  load.written.push(after.id);
  for (const { client } of writers)
    await waitFor(client.doc, () => seqIndexOf(client.doc).has(after.id), 30_000, 'delivery after the restart');
  load.stop();

  timeline.note('load stopped');
  try {
    await expectStoredNumbering({ cluster, docName, writers, written: load.written, seen });
  } catch (error) {
    console.error(await whereMissing(cluster, docName, writers, load.written, timeline.lines));
    throw error;
  }
  // Every relay's bus came back with its channels; each edge caught up from PostgreSQL: a refill of the room it kept
  // through the outage, or a fresh room (a whole read) when its sockets had all closed.
  const reconnects = await Promise.all(relays.map((relay) => relay.metric('happychat_redis_reconnects_total')));
  const refills = await Promise.all(relays.map((relay) => relay.metric('happychat_gap_refills_total')));
  const opens = await Promise.all(relays.map((relay) => relay.metric('happychat_edge_opens_total')));
  console.info('Redis reconnects per relay', reconnects, 'gap refills per relay', refills, 'edge opens per relay', opens);
  reconnects.forEach((count, i) => expect(count).toBeGreaterThan(reconnectsBefore[i] ?? 0));
  for (const edge of relays.filter((relay) => relay !== owner)) {
    const i = relays.indexOf(edge);
    const caughtUp = { refills: refills[i] - refillsBefore[i], opens: opens[i] - opensBefore[i] };
    // No new room means the edge's room lived through the outage: its bus's reconnect must have refilled it.
    if (caughtUp.opens === 0) expect(caughtUp.refills, `${edge.name} kept its room`).toBeGreaterThanOrEqual(1);
  }
}, 180_000);

/** What each client went through (connections, closes with their codes) and the test's steps, in time order, for a failure's message. */
function recordTimeline(writers: ClusterWriter[]): { lines: string[]; note(what: string): void } {
  const start = performance.now();
  const lines: string[] = [];
  const note = (what: string) => lines.push(`${(performance.now() - start).toFixed(0).padStart(6)} ms ${what}`);
  for (const { person, relay, client } of writers) {
    client.provider.on('status', ({ status }: { status: string }) => note(`${person.name} (${relay.name}) ${status}`));
    client.provider.on('connection-close', (event: { code?: number; reason?: string } | null) =>
      note(`${person.name} (${relay.name}) closed ${event?.code ?? 0} ${event?.reason ?? ''}`),
    );
    client.provider.on('sync', (synced: boolean) => note(`${person.name} (${relay.name}) synced ${synced}`));
  }
  return { lines, note };
}

/**
 * For a failed wait: each written message some writer does not show numbered, with who lacks it, whether the stored
 * log holds it (numbered or not), and each writer's clock against the log's for every client id: a writer ahead of
 * the log has updates the owner never stored.
 */
async function whereMissing(
  cluster: RelayCluster,
  docName: string,
  writers: ClusterWriter[],
  written: readonly string[],
  timeline: string[],
) {
  const stored = await cluster.stored(docName);
  const lines = ['Timeline:', ...timeline, 'Missing:'];
  for (const id of written) {
    const lacking = writers.filter(({ client }) => !seqIndexOf(client.doc).has(id)).map(({ person }) => person.name);
    if (lacking.length === 0) continue;
    const text = writers.map(({ client }) => messagesOf(client.doc).get(id)?.text).find((t) => t !== undefined);
    const inLog = messagesOf(stored).has(id) ? `in the log as ${seqIndexOf(stored).get(id) ?? 'unnumbered'}` : 'not in the log';
    lines.push(`  ${id} "${text}": not numbered at ${lacking.join(', ')}; ${inLog}`);
  }
  const logClocks = Y.decodeStateVector(Y.encodeStateVector(stored));
  for (const { person, client } of writers) {
    const own = client.doc.clientID;
    const clocks = Y.decodeStateVector(Y.encodeStateVector(client.doc));
    lines.push(
      `  ${person.name}: connected ${client.provider.wsconnected}, synced ${client.provider.synced}, own client ${own} at ${clocks.get(own)} (log ${logClocks.get(own) ?? 0}), messages ${messagesOf(client.doc).size}, numbered ${seqIndexOf(client.doc).size}`,
    );
  }
  lines.push(`  log: messages ${messagesOf(stored).size}, numbered ${seqIndexOf(stored).size}`);
  return lines.join('\n');
}
