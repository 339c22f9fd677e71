/**
 * Where a cross-process delivery waits (issue 11, session 14): a cluster of
 * three relays (the bench's `ClusterDeployment`), one conversation with a
 * socket on every relay, and a trickle of messages, one in flight at a time,
 * written in turn from an edge's socket and from the owner's. A preload in
 * every relay (`cluster-hops-preload.mjs`) stamps each library boundary a
 * message crosses (a WebSocket frame read, a PUBLISH issued, a socket write
 * or read by peer, a Redis message read, the group commit's statement sent
 * and answered, a WebSocket send) on CLOCK_MONOTONIC, which every process
 * on the machine shares, and every `setImmediate` with its wait. Each
 * message's events are those between its send and the next message's, so
 * the background work (lease renewals, polls) is told apart by kind and
 * order. Prints per hop the median and p90 and how many events of each kind
 * a message caused per relay.
 *
 *   npx tsx bench/prototypes/cluster-hops.ts [--messages 200] [--interval 40]
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Y from 'yjs';
import { type Message, messagesOf } from '../../shared/schema.js';
import { clusterRooms } from '../load/cluster-traffic.js';
import { sendMessage } from '../load/messages.js';
import { SyncClient } from '../load/sync-client.js';
import { until } from '../load/waiting.js';
import { ClusterDeployment } from '../servers/cluster-deployment.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const MESSAGES = Math.min(option('--messages', 200), 2_000);
const INTERVAL_MS = Math.max(option('--interval', 40), 10);
const WARM_UP = 20;
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cluster-hops-preload.mjs');
const HOPS_DIR = '/tmp/cluster-hops';
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
type Event = [number, string, string];

await rm(HOPS_DIR, { recursive: true, force: true });
const deployment = await ClusterDeployment.start(3, {
  DATABASE_LEASE_MS: '30000',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PRELOAD}`.trim(),
  CLUSTER_HOPS_DIR: HOPS_DIR,
});
try {
  const [room] = await clusterRooms(deployment, 1);
  // Two sockets on every relay, one for each member.
  const sockets = deployment.relays.flatMap((relay, r) =>
    [0, 1].map((m) => ({
      relay: r,
      member: room.members[m],
      client: new SyncClient({
        url: `${relay.url.replace(/^http/, 'ws')}/sync/${room.docName}`,
        headers: { cookie: room.members[m].cookie, origin: relay.url },
      }),
    })),
  );
  for (const { client } of sockets) {
    await client.opened;
    await client.synced;
  }
  const owner = deployment.relays.indexOf((await deployment.ownerOf(room.docName)) ?? deployment.relays[0]);
  const edges = [0, 1, 2].filter((r) => r !== owner);
  const fromEdge = sockets.find((s) => s.relay === edges[0] && s.member === room.members[0]);
  const fromOwner = sockets.find((s) => s.relay === owner && s.member === room.members[1]);
  if (!fromEdge || !fromOwner) throw new Error('no writer');
  const pids = deployment.relays.map((relay) => relay.pid ?? 0);
  const role = (r: number) => (r === owner ? 'owner' : r === edges[0] ? 'edgeA' : 'edgeB');
  console.error(`owner relay ${owner + 1}; edge A (writer) relay ${edges[0] + 1}; edge B relay ${edges[1] + 1}`);

  const sent: Array<{ id: string; at: number; writer: 'edgeA' | 'owner' }> = [];
  const received = new Map<string, Map<number, number>>(); // message id → socket index → µs
  sockets.forEach(({ client }, s) =>
    messagesOf(client.doc).observe((event: Y.YMapEvent<Message>) => {
      if (event.transaction.local) return;
      const at = nowUs();
      for (const id of event.keysChanged) {
        const byId = received.get(id) ?? new Map<number, number>();
        if (!byId.has(s)) byId.set(s, at);
        received.set(id, byId);
      }
    }),
  );
  for (let n = 0; n < MESSAGES; n++) {
    const writer = n % 2 === 0 ? fromEdge : fromOwner;
    const at = nowUs();
    sent.push({ id: sendMessage(writer.client.doc, writer.member.id, n), at, writer: writer === fromEdge ? 'edgeA' : 'owner' });
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  await until(() => sent.every((m) => (received.get(m.id)?.size ?? 0) >= sockets.length - 1), 10_000);
  await new Promise((resolve) => setTimeout(resolve, 800)); // the preloads write every 300 ms
  const events = await Promise.all(
    pids.map(async (pid) =>
      (await readFile(path.join(HOPS_DIR, `${pid}.jsonl`), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Event),
    ),
  );

  const hops = new Map<string, number[]>();
  const counts = new Map<string, number>();
  const add = (name: string, us: number) => hops.set(name, [...(hops.get(name) ?? []), us]);
  const count = (name: string, n = 1) => counts.set(name, (counts.get(name) ?? 0) + n);
  const measured = sent.slice(WARM_UP, -1);
  for (const [k, message] of measured.entries()) {
    const end = sent[WARM_UP + k + 1].at;
    const of = (r: number) => events[r].filter(([t]) => t >= message.at && t < end);
    const first = (r: number, kind: string, detail: string | null, after: number) =>
      of(r).find(([t, k2, d]) => t >= after && k2 === kind && (detail === null || d === detail || d.includes(detail)))?.[0];
    for (const r of [0, 1, 2])
      for (const [, kind, detail] of of(r)) {
        const key = kind === 'immediate' || kind === 'write-took' ? `${kind} ${detail.split(' ').slice(1).join(' ')}` : `${kind} ${detail}`;
        count(`${message.writer} | ${role(r)} | ${key.replace(/ \d+$/, '')}`);
      }
    for (const r of [0, 1, 2])
      for (const [, kind, detail] of of(r))
        if (kind === 'immediate' || kind === 'write-took')
          add(
            `${message.writer} | ${role(r)} | ${kind === 'immediate' ? 'immediate wait' : 'write took'} ${detail.split(' ').slice(1).join(' ')}`,
            Number(detail.split(' ')[0]),
          );
    type Step = [name: string, relay: number, kind: string, detail: string | null];
    // From the owner's apply on, both writers' messages take the same hops.
    const fromTheOwner: Step[] = [
      ['validated, applied, append queued', owner, 'queued', 'this.start()'],
      ['group statement sent', owner, 'pg-query', null],
      ['written to PostgreSQL', owner, 'write', 'pg'],
      ['group statement answered', owner, 'pg-answer', null],
      ['batch PUBLISH issued', owner, 'publish', 'batches'],
      ['written to Redis', owner, 'write', 'redis'],
      ['edge B reads the batch', edges[1], 'sub-read', 'batches'],
      ['edge B sends its sockets', edges[1], 'ws-send', null],
    ];
    const steps: Step[] =
      message.writer === 'edgeA'
        ? [
            ['client frame read on edge A', edges[0], 'ws-in', null],
            ['forwarded PUBLISH queued', edges[0], 'queued', 'flush'],
            ['forwarded PUBLISH issued', edges[0], 'publish', 'inbox'],
            ['written to Redis', edges[0], 'write', 'redis'],
            ['owner reads it off Redis', owner, 'sub-read', 'inbox'],
            ...fromTheOwner,
          ]
        : [['client frame read on the owner', owner, 'ws-in', null], ...fromTheOwner];
    let previous = message.at;
    let previousName = 'client send';
    let complete = true;
    for (const [name, r, kind, detail] of steps) {
      const t = first(r, kind, detail, previous);
      if (t === undefined) {
        complete = false;
        count(`${message.writer} | missing: ${name}`);
        break;
      }
      add(`${message.writer} | ${previousName} -> ${name}`, t - previous);
      previous = t;
      previousName = name;
    }
    // Beside the path to edge B: the owner's own sockets, and the order of its two sends.
    const answered = first(owner, 'pg-answer', null, message.at);
    const ownSend = answered === undefined ? undefined : first(owner, 'ws-send', null, answered);
    const batchOut = answered === undefined ? undefined : first(owner, 'publish', 'batches', answered);
    if (answered !== undefined && ownSend !== undefined)
      add(`${message.writer} | (owner) group statement answered -> owner sends its sockets`, ownSend - answered);
    if (ownSend !== undefined && batchOut !== undefined)
      count(`${message.writer} | (owner) batch PUBLISH ${batchOut < ownSend ? 'before' : 'after'} its own sockets' sends`);
    const edgeBReader = sockets.findIndex((s) => s.relay === edges[1]);
    const arrived = received.get(message.id)?.get(edgeBReader);
    if (complete && arrived !== undefined) add(`${message.writer} | ${previousName} -> client on edge B applied it`, arrived - previous);
    if (arrived !== undefined) add(`${message.writer} | TOTAL send -> client on edge B`, arrived - message.at);
    const ownerReader = sockets.findIndex((s) => s.relay === owner && s !== fromOwner);
    const atOwner = received.get(message.id)?.get(ownerReader);
    if (atOwner !== undefined) add(`${message.writer} | TOTAL send -> client on the owner`, atOwner - message.at);
  }
  const quantile = (values: number[], q: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];
  console.log(`messages measured: ${measured.length} (${measured.length / 2} from each writer), one every ${INTERVAL_MS} ms`);
  console.log('\nhop (µs, under load): median  p90  n');
  for (const [name, values] of hops)
    if (!name.includes('immediate wait') && !name.includes('write took'))
      console.log(`${name}: ${quantile(values, 0.5)}  ${quantile(values, 0.9)}  ${values.length}`);
  console.log('\nsetImmediate waits and socket writes (µs): median  p90  count per message');
  for (const [name, values] of hops)
    if (name.includes('immediate wait') || name.includes('write took'))
      console.log(`${name}: ${quantile(values, 0.5)}  ${quantile(values, 0.9)}  ${(values.length / (measured.length / 2)).toFixed(2)}`);
  console.log('\nevents per message, by writer | relay | kind');
  for (const [name, n] of [...counts].sort()) console.log(`${name}: ${(n / (measured.length / 2)).toFixed(2)}`);
} finally {
  await deployment.stop();
}
