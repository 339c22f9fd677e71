/**
 * The fan-in/out load (traffic.ts) on a relay cluster: the same rooms,
 * connections and paced writers, with each room's connections spread over
 * the relays in turn (no sticky routing). Every delivery is timed and put on
 * one of two paths: same-process (writer and reader both on the relay that
 * owns the room: no Redis hop) or cross-process (anything else: forwarded
 * to the owner and/or brought back as a committed batch over Redis). Counts
 * every delivery exactly, as traffic.ts does, and reads what the cluster's
 * parts spent (cluster-deployment.ts).
 */
import type * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { type Message, messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { directConversation } from '../../sync-server/testing/direct-conversation.js';
import { createUser, type TestUser } from '../../sync-server/testing/test-users.js';
import { summarize, type LatencySummary } from '../report/stats.js';
import { type ClusterDeployment, costBetween } from '../servers/cluster-deployment.js';
import { sendMessage } from './messages.js';
import { checkReplicas, checkSequencing } from './replica-checks.js';
import { inBatches } from './rooms.js';
import { SyncClient } from './sync-client.js';
import { sendPaced, type TrafficPlan } from './traffic.js';
import { until, withTimeout } from './waiting.js';

export interface ClusterTrafficResult {
  samePath: LatencySummary;
  crossPath: LatencySummary;
  all: LatencySummary;
  expectedDeliveries: number;
  deliveries: number;
  duplicates: number;
  messages: number;
  cost: ReturnType<typeof costBetween>;
  failures: string[];
}

export interface ClusterRoom {
  docName: string;
  members: [TestUser, TestUser];
}

/** `count` direct conversations of two new people each, made through the first relay. */
export async function clusterRooms(deployment: ClusterDeployment, count: number): Promise<ClusterRoom[]> {
  const first = deployment.relays[0];
  const people = await inBatches(
    Array.from({ length: count * 2 }, (_, i) => i),
    8,
    (i) => createUser(first, `Cluster ${i + 1}`),
  );
  return inBatches(
    Array.from({ length: count }, (_, r) => r),
    8,
    async (r) => {
      const members: [TestUser, TestUser] = [people[2 * r], people[2 * r + 1]];
      return { docName: convDocName(await directConversation(first, members[0], members[1])), members };
    },
  );
}

/** Called at the measured window's start and end (after and before the counters are read): a counting script's own readings. */
export type MeasuredWindow = (edge: 'start' | 'end') => Promise<void>;

export async function runClusterTraffic(
  deployment: ClusterDeployment,
  plan: TrafficPlan,
  window?: MeasuredWindow,
): Promise<ClusterTrafficResult> {
  const { relays } = deployment;
  const rooms = await clusterRooms(deployment, plan.rooms);
  const relayOf = (i: number) => i % relays.length;
  const specs = rooms.flatMap((room, r) => Array.from({ length: plan.clientsPerRoom }, (_, i) => ({ room, r, i })));
  const opened = await withTimeout(
    inBatches(specs, 200, async ({ room, i }) => {
      const relay = relays[relayOf(i)];
      const client = new SyncClient({
        url: `${relay.url.replace(/^http/, 'ws')}/sync/${room.docName}`,
        headers: { cookie: room.members[i % 2].cookie, origin: relay.url },
      });
      await client.opened;
      await client.synced;
      return client;
    }),
    60_000,
    `opening ${specs.length} connections to ${relays.length} relays`,
  );
  const clients = rooms.map((_, r) => opened.slice(r * plan.clientsPerRoom, (r + 1) * plan.clientsPerRoom));
  const owners = await Promise.all(rooms.map(async (room) => relays.indexOf((await deployment.ownerOf(room.docName)) ?? relays[0])));

  const sent = new Map<string, { at: number; room: number; writer: number }>();
  const same: number[] = [];
  const cross: number[] = [];
  let duplicates = 0;
  const failures: string[] = [];
  clients.forEach((roomClients, r) =>
    roomClients.forEach((client, reader) => {
      const seen = new Set<string>();
      messagesOf(client.doc).observe((event: Y.YMapEvent<Message>) => {
        if (event.transaction.local) return;
        const now = performance.now();
        for (const id of event.keysChanged) {
          const message = sent.get(id);
          if (!message) continue;
          if (message.room !== r) failures.push(`a message of room ${message.room} reached room ${r}`);
          if (seen.has(id)) {
            duplicates++;
            continue;
          }
          seen.add(id);
          const owner = owners[r];
          const onOwner = relayOf(message.writer) === owner && relayOf(reader) === owner;
          (onOwner ? same : cross).push(now - message.at);
        }
      });
    }),
  );

  const before = await deployment.counters();
  await window?.('start');
  await sendPaced(plan, performance.now() + 20, (r, i, n) => {
    sent.set(sendMessage(clients[r][i].doc, rooms[r].members[i % 2].id, n), { at: performance.now(), room: r, writer: i });
  });
  const messagesPerRoom = plan.writersPerRoom * plan.messagesPerWriter;
  const expectedDeliveries = plan.rooms * messagesPerRoom * (plan.clientsPerRoom - 1);
  const numbered = () => clients.every((roomClients) => roomClients.every((c) => seqIndexOf(c.doc).size >= messagesPerRoom));
  const settled = await until(() => same.length + cross.length >= expectedDeliveries && numbered(), plan.settleTimeoutMs);
  await window?.('end');
  const after = await deployment.counters();
  if (!settled)
    failures.push(`incomplete after ${plan.settleTimeoutMs} ms: ${same.length + cross.length} of ${expectedDeliveries} deliveries`);
  if (duplicates > 0) failures.push(`${duplicates} duplicate deliveries`);
  failures.push(...checkReplicas(clients, messagesPerRoom), ...checkSequencing(clients, messagesPerRoom));
  for (const client of opened) client.close();
  return {
    samePath: summarize(same),
    crossPath: summarize(cross),
    all: summarize([...same, ...cross]),
    expectedDeliveries,
    deliveries: same.length + cross.length,
    duplicates,
    messages: plan.rooms * messagesPerRoom,
    cost: costBetween(before, after),
    failures: [...new Set(failures)],
  };
}
