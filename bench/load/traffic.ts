/**
 * Paced chat traffic through a relay: R rooms of C connections, W writers
 * per room each sending M messages at a fixed interval. Measures how long
 * each message takes to reach every other connection of its room, counts
 * every delivery exactly (a loss or a duplicate is a failure), and on a
 * sequencing relay checks that every replica got the same distinct numbers.
 */
import type * as Y from 'yjs';
import { messagesOf, seqOf, type Message } from '../../shared/schema.js';
import { summarize, type LatencySummary } from '../report/stats.js';
import { sendMessage } from './messages.js';
import { inBatches, type BenchRoom, type RoomSource } from './rooms.js';
import type { SyncClient } from './sync-client.js';

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
  /** Empty when the run is valid. */
  failures: string[];
}

/** How many connections are being opened at once. */
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 30_000;

interface Sent {
  at: number;
  room: number;
}

/** Opens `count` connections to each room (numbered from `startIndex`) and waits until each has synced. */
export async function openClients(rooms: BenchRoom[], count: number, options: { awareness?: boolean; startIndex?: number } = {}): Promise<SyncClient[][]> {
  const first = options.startIndex ?? 0;
  const specs = rooms.flatMap((room, r) => Array.from({ length: count }, (_, i) => ({ room, r, i: first + i })));
  const opened = inBatches(specs, CONNECT_CONCURRENCY, async ({ room, i }) => {
    const client = room.connect(i, { awareness: options.awareness });
    await client.opened;
    await client.synced;
    return client;
  });
  const clients = await withTimeout(opened, CONNECT_TIMEOUT_MS, `opening ${specs.length} connections`);
  return rooms.map((_, r) => clients.slice(r * count, (r + 1) * count));
}

export async function runTraffic(source: RoomSource, plan: TrafficPlan): Promise<TrafficResult> {
  const rooms = await source.rooms(plan.rooms);
  const connectStart = performance.now();
  const clients = await openClients(rooms, plan.clientsPerRoom);
  const connectMs = performance.now() - connectStart;
  const failures: string[] = [];
  const sent = new Map<string, Sent>();
  const latencies: number[] = [];
  const acks: number[] = [];
  let duplicates = 0;
  let lastDeliveryAt = 0;
  const ownIds = clients.map((roomClients) => roomClients.map(() => new Set<string>()));

  clients.forEach((roomClients, r) =>
    roomClients.forEach((client, i) => {
      const seen = new Set<string>();
      messagesOf(client.doc).observe((event: Y.YMapEvent<Message>) => {
        if (event.transaction.local) return; // its own message
        const now = performance.now();
        for (const id of event.keysChanged) {
          const message = sent.get(id);
          if (!message) continue;
          if (message.room !== r) failures.push(`message ${id} of room ${message.room} reached room ${r}`);
          if (seen.has(id)) {
            duplicates++;
            continue;
          }
          seen.add(id);
          latencies.push(now - message.at);
          lastDeliveryAt = now;
        }
      });
      if (source.sequenced && i < plan.writersPerRoom) {
        seqOf(client.doc).observe((event) => {
          const now = performance.now();
          for (const id of event.keysChanged) {
            const message = sent.get(id);
            if (message && ownIds[r][i].has(id)) acks.push(now - message.at);
          }
        });
      }
    }),
  );
  const firstSendAt = performance.now() + 20;
  await sendPaced(plan, firstSendAt, (r, i, n) => {
    const at = performance.now();
    const id = sendMessage(clients[r][i].doc, rooms[r].authorOf(i), n);
    sent.set(id, { at, room: r });
    ownIds[r][i].add(id);
  });

  const messagesPerRoom = plan.writersPerRoom * plan.messagesPerWriter;
  const expectedDeliveries = plan.rooms * messagesPerRoom * (plan.clientsPerRoom - 1);
  const complete = () =>
    latencies.length >= expectedDeliveries &&
    (!source.sequenced || clients.every((roomClients) => roomClients.every((client) => seqOf(client.doc).size >= messagesPerRoom)));
  const settled = await until(complete, plan.settleTimeoutMs);
  if (!settled) failures.push(`incomplete after ${plan.settleTimeoutMs} ms: ${latencies.length} of ${expectedDeliveries} deliveries`);
  if (duplicates > 0) failures.push(`${duplicates} duplicate deliveries`);
  for (const roomClients of clients) {
    for (const client of roomClients) {
      const dropped = client.droppedByRelay;
      if (dropped) failures.push(`the relay closed a connection: ${dropped.code} ${dropped.reason}`);
      if (messagesOf(client.doc).size !== messagesPerRoom) failures.push(`a replica holds ${messagesOf(client.doc).size} messages, not ${messagesPerRoom}`);
    }
  }
  if (source.sequenced) failures.push(...checkSequencing(clients, messagesPerRoom));
  for (const roomClients of clients) for (const client of roomClients) client.close();

  const durationMs = lastDeliveryAt - firstSendAt;
  return {
    latency: summarize(latencies),
    ack: source.sequenced ? summarize(acks) : null,
    expectedDeliveries,
    deliveries: latencies.length,
    duplicates,
    deliveriesPerSecond: (latencies.length / durationMs) * 1000,
    durationMs,
    connectMs,
    failures: [...new Set(failures)],
  };
}

/** Calls `send(room, client, n)` for every planned message at its time; resolves after the last. */
async function sendPaced(plan: TrafficPlan, startAt: number, send: (room: number, client: number, n: number) => void): Promise<void> {
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

/** Every replica of a room holds the same numbers, distinct, exactly 1..N. */
function checkSequencing(clients: SyncClient[][], messagesPerRoom: number): string[] {
  const failures: string[] = [];
  clients.forEach((roomClients, r) => {
    const reference = JSON.stringify([...seqOf(roomClients[0].doc).entries()].sort());
    const numbers = new Set(seqOf(roomClients[0].doc).values());
    if (numbers.size !== messagesPerRoom || [...numbers].some((n) => n < 1 || n > messagesPerRoom)) {
      failures.push(`room ${r}: sequence numbers are not exactly 1..${messagesPerRoom}`);
    }
    for (const client of roomClients) {
      if (JSON.stringify([...seqOf(client.doc).entries()].sort()) !== reference) failures.push(`room ${r}: replicas disagree on sequence numbers`);
    }
  });
  return failures;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` until it holds (true) or `timeoutMs` passes (false). */
export async function until(done: () => boolean, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what} (${ms} ms)`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
