/**
 * Idle capacity: what an open, quiet connection and a loaded document cost
 * the relay process (RSS from /proc after a full GC, in a fresh process per
 * measurement: rooms are made first, then the relay restarts on the same
 * data, so the setup's garbage is not in the figures). Connections behave
 * like the stock provider on connect (sync step 1, one awareness state),
 * then stay quiet.
 *
 * Model: RSS − RSS before = a × connections + b × documents.
 * - 10 rooms with 1,000, then 5,000 connections → a (per connection).
 * - 1,000 rooms with 1 connection each, then 5 each → b (per document) at
 *   1,000 and at 5,000 connections, using a measured at the same count.
 */
import { roomSourceFor, type BenchRoom } from '../load/rooms.js';
import type { SyncClient } from '../load/sync-client.js';
import { openClients, sleep } from '../load/traffic.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const FEW_ROOMS = 10;
const MANY_ROOMS = 1_000;
const CONNECTIONS = [1_000, 5_000];
const KINDS: RelayKind[] = ['reference', 'happy-chat'];

interface Measured {
  /** Bytes per connection at each connection count (few rooms). */
  perConnection: Record<number, number>;
  /** Bytes per loaded document at each connection count (many rooms). */
  perDocument: Record<number, number>;
  /** RSS growth (bytes) per measurement, for the JSON. */
  rssGrowth: Record<string, number>;
}

export async function idleCapacity(): Promise<ScenarioResult> {
  const measured: Partial<Record<RelayKind, Measured>> = {};
  const failures: string[] = [];
  for (const kind of KINDS) {
    const relay = await RelayProcess.start(kind);
    try {
      const manyRooms = await roomSourceFor(relay).rooms(MANY_ROOMS);
      const fewRooms = manyRooms.slice(0, FEW_ROOMS);
      const perConnection: Record<number, number> = {};
      const perDocument: Record<number, number> = {};
      const rss: Record<string, number> = {};
      await measureFresh(relay, fewRooms, (total, delta) => {
        rss[`fewRooms${total}`] = delta;
        perConnection[total] = delta / total;
      });
      await measureFresh(relay, manyRooms, (total, delta) => {
        rss[`manyRooms${total}`] = delta;
        perDocument[total] = (delta - perConnection[total] * total) / MANY_ROOMS;
      });
      measured[kind] = { perConnection, perDocument, rssGrowth: rss };
      failures.push(...relayFailures(kind, relay));
    } catch (error) {
      failures.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await relay.stop();
    }
  }
  const ours = measured['happy-chat'];
  const reference = measured.reference;
  const rows: Row[] = CONNECTIONS.flatMap((total) => [
    {
      scenario: `idle capacity, ${total} connections`,
      metric: `RSS per idle connection (${FEW_ROOMS} docs)`,
      unit: 'KiB',
      ours: kib(ours?.perConnection[total]),
      reference: kib(reference?.perConnection[total]),
      target: { kind: 'at-most-ratio', ratio: 1 },
      note: 'stock-provider handshake + awareness',
    } satisfies Row,
    {
      scenario: `idle capacity, ${total} connections`,
      metric: `RSS per loaded doc (${MANY_ROOMS} docs)`,
      unit: 'KiB',
      ours: kib(ours?.perDocument[total]),
      reference: kib(reference?.perDocument[total]),
      note: 'ours holds meta (members); ref docs empty',
    } satisfies Row,
  ]);
  return { name: 'idle-capacity', rows, raw: { fewRooms: FEW_ROOMS, manyRooms: MANY_ROOMS, connections: CONNECTIONS, measured }, failures };
}

/**
 * In a fresh relay process (same data), opens connections to `rooms` up to
 * each count in CONNECTIONS and reports the RSS growth since the start.
 */
async function measureFresh(relay: RelayProcess, rooms: BenchRoom[], report: (total: number, rssGrowth: number) => void): Promise<void> {
  await relay.restart();
  const base = await relay.rssAfterGc();
  const clients: SyncClient[] = [];
  try {
    for (const total of CONNECTIONS) {
      clients.push(...(await openMore(rooms, clients.length, total)));
      await sleep(300);
      report(total, (await relay.rssAfterGc()) - base);
    }
    const closed = clients.filter((client) => client.closedWith !== null);
    if (closed.length > 0) throw new Error(`${closed.length} idle connections were closed (first: ${closed[0].closedWith?.code})`);
  } finally {
    for (const client of clients) client.close();
  }
}

/** Opens connections until there are `total`, spread round-robin over `rooms`. */
async function openMore(rooms: BenchRoom[], already: number, total: number): Promise<SyncClient[]> {
  const perRoom = Math.ceil(total / rooms.length) - Math.ceil(already / rooms.length);
  const byRoom = await openClients(rooms, perRoom, { startIndex: Math.ceil(already / rooms.length) });
  return byRoom.flat();
}

function relayFailures(kind: RelayKind, relay: RelayProcess): string[] {
  return /error/i.test(relay.recentStderr) ? [`${kind} relay logged errors: ${relay.recentStderr.slice(-500)}`] : [];
}

function kib(bytes: number | undefined): number | null {
  return bytes === undefined ? null : bytes / 1024;
}
