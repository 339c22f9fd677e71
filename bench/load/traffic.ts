/**
 * Paced chat traffic through a relay: R rooms of C connections, W writers
 * per room each sending M messages at a fixed interval. Measures how long
 * each message takes to reach every other connection of its room, counts
 * every delivery exactly (a loss or a duplicate is a failure), and on a
 * sequencing relay checks that every replica got the same distinct numbers.
 */
import { seqIndexOf } from '../../shared/seq-index.js';
import { summarize, type LatencySummary } from '../report/stats.js';
import { DeliveryLog } from './delivery-log.js';
import { sendMessage } from './messages.js';
import { checkReplicas, checkSequencing } from './replica-checks.js';
import { inBatches, type BenchRoom, type RoomSource } from './rooms.js';
import type { StoreCounts } from '../servers/store-counters.js';
import type { ThreadGroup } from '../servers/thread-groups.js';
import type { SyncClient } from './sync-client.js';
import { sleep, until, withTimeout } from './waiting.js';

export interface TrafficPlan {
  rooms: number;
  clientsPerRoom: number;
  /** The first `writersPerRoom` connections of each room write; the rest only read. */
  writersPerRoom: number;
  messagesPerWriter: number;
  /** Each writer sends one message every `intervalMs`; writers are spread evenly over the interval. */
  intervalMs: number;
  /** The run fails if deliveries are not complete this long after the last send. */
  settleTimeoutMs: number;
}

export interface TrafficResult {
  /** Send → arrival at each other connection of the room (ms). */
  latency: LatencySummary;
  /** Send → the writer sees its message's sequence number (ms): the "delivered" tick. Sequencing relays only. */
  ack: LatencySummary | null;
  expectedDeliveries: number;
  deliveries: number;
  duplicates: number;
  deliveriesPerSecond: number;
  /** First send to last delivery (ms). */
  durationMs: number;
  connectMs: number;
  /** Relay CPU time (user + system) per message sent, from the first send until all arrived (µs). */
  relayCpuPerMessageUs: number;
  /** The same, by group of the relay's threads (servers/thread-groups.ts); absent for a relay of an older checkout. */
  relayThreadCpuPerMessageUs?: Record<ThreadGroup, number>;
  /** Our relay's LevelDB calls and bytes per message sent (servers/store-counters.ts); null for the reference. */
  storePerMessage?: StoreCounts | null;
  /** Empty when the run is valid. */
  failures: string[];
}

/** How many connections are being opened at once. */
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 30_000;

/** Opens `count` connections to each room (numbered from `startIndex`) and waits until each has synced. */
export async function openClients(
  rooms: BenchRoom[],
  count: number,
  options: { awareness?: boolean; startIndex?: number } = {},
): Promise<SyncClient[][]> {
  const first = options.startIndex ?? 0;
  const specs = rooms.flatMap((room) => Array.from({ length: count }, (_, i) => ({ room, i: first + i })));
  const opened = inBatches(specs, CONNECT_CONCURRENCY, async ({ room, i }) => {
    const client = room.connect(i, { awareness: options.awareness });
    await client.opened;
    await client.synced;
    return client;
  });
  const clients = await withTimeout(opened, CONNECT_TIMEOUT_MS, `opening ${specs.length} connections`);
  return rooms.map((_, r) => clients.slice(r * count, (r + 1) * count));
}

/** Steps around the measured window (connections open, from before the first send until all arrived). */
export interface TrafficWindow {
  opened?: () => Promise<void>;
  settled?: () => Promise<void>;
}

export async function runTraffic(source: RoomSource, plan: TrafficPlan, window: TrafficWindow = {}): Promise<TrafficResult> {
  const rooms = await source.rooms(plan.rooms);
  const connectStart = performance.now();
  const clients = await openClients(rooms, plan.clientsPerRoom);
  const connectMs = performance.now() - connectStart;
  const log = new DeliveryLog();
  clients.forEach((roomClients, r) =>
    roomClients.forEach((client, i) => log.watch(client, r, i, source.sequenced && i < plan.writersPerRoom)),
  );

  await window.opened?.();
  // A relay of an older checkout (compare-fan-out.ts's BENCH_BASE) may not answer this.
  const statsBefore = 'stats' in source.relay ? await source.relay.stats() : null;
  const cpuBefore = await source.relay.cpuMs();
  const firstSendAt = performance.now() + 20;
  await sendPaced(plan, firstSendAt, (r, i, n) => {
    const at = performance.now();
    log.recordSend(sendMessage(clients[r][i].doc, rooms[r].authorOf(i), n), r, i, at);
  });

  const messagesPerRoom = plan.writersPerRoom * plan.messagesPerWriter;
  const expectedDeliveries = plan.rooms * messagesPerRoom * (plan.clientsPerRoom - 1);
  const everyoneNumbered = () =>
    clients.every((roomClients) => roomClients.every((client) => seqIndexOf(client.doc).size >= messagesPerRoom));
  const complete = () => log.latencies.length >= expectedDeliveries && (!source.sequenced || everyoneNumbered());
  const settled = await until(complete, plan.settleTimeoutMs);
  const relayCpuMs = (await source.relay.cpuMs()) - cpuBefore;
  const statsAfter = statsBefore && 'stats' in source.relay ? await source.relay.stats() : null;
  await window.settled?.();
  const messages = plan.rooms * plan.writersPerRoom * plan.messagesPerWriter;
  const failures = [...log.problems];
  if (!settled) {
    failures.push(`incomplete after ${plan.settleTimeoutMs} ms: ${log.latencies.length} of ${expectedDeliveries} deliveries`);
  }
  if (log.duplicates > 0) failures.push(`${log.duplicates} duplicate deliveries`);
  failures.push(...checkReplicas(clients, messagesPerRoom));
  if (source.sequenced) failures.push(...checkSequencing(clients, messagesPerRoom));
  for (const client of clients.flat()) client.close();

  const durationMs = log.lastDeliveryAt - firstSendAt;
  return {
    latency: summarize(log.latencies),
    ack: source.sequenced ? summarize(log.acks) : null,
    expectedDeliveries,
    deliveries: log.latencies.length,
    duplicates: log.duplicates,
    deliveriesPerSecond: (log.latencies.length / durationMs) * 1000,
    durationMs,
    connectMs,
    relayCpuPerMessageUs: (relayCpuMs * 1000) / (plan.rooms * messagesPerRoom),
    ...(statsBefore && statsAfter
      ? {
          relayThreadCpuPerMessageUs: perMessage(statsBefore.threadCpuMs, statsAfter.threadCpuMs, messages * 1e-3),
          storePerMessage: statsBefore.store && statsAfter.store ? perMessage(statsBefore.store, statsAfter.store, messages) : null,
        }
      : {}),
    failures: [...new Set(failures)],
  };
}

/** Each figure's growth from `before` to `after`, divided by `count`. */
function perMessage<T extends object>(before: T, after: T, count: number): T {
  const b = before as Record<string, number>;
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, (value - b[key]) / count])) as T;
}

/** Calls `send(room, client, n)` for every planned message at its time; resolves after the last. */
export async function sendPaced(
  plan: TrafficPlan,
  startAt: number,
  send: (room: number, client: number, n: number) => void,
): Promise<void> {
  const writers = plan.rooms * plan.writersPerRoom;
  const schedule: Array<{ at: number; room: number; client: number; n: number }> = [];
  for (let room = 0; room < plan.rooms; room++) {
    for (let client = 0; client < plan.writersPerRoom; client++) {
      const offset = ((room * plan.writersPerRoom + client) / writers) * plan.intervalMs;
      for (let n = 0; n < plan.messagesPerWriter; n++) schedule.push({ at: startAt + offset + n * plan.intervalMs, room, client, n });
    }
  }
  schedule.sort((a, b) => a.at - b.at);
  let next = 0;
  while (next < schedule.length) {
    const wait = schedule[next].at - performance.now();
    if (wait > 1) await sleep(wait);
    const now = performance.now();
    while (next < schedule.length && schedule[next].at <= now + 0.5) {
      const { room, client, n } = schedule[next++];
      send(room, client, n);
    }
  }
}
