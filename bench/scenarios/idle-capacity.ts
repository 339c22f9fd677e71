/**
 * Idle capacity: what an open, quiet connection and a loaded document cost
 * the relay process (RSS from /proc after a full GC, in a fresh process per
 * measurement: rooms are made first, then the relay restarts on the same
 * data, so the setup's garbage is not in the figures). Connections behave
 * like the stock provider on connect (sync step 1, one awareness state),
 * then stay quiet.
 *
 * - Dense: rooms of 50 connections, 1,000 then 5,000 connections → RSS
 *   growth / connections = per connection (a room's own cost is spread
 *   over its 50).
 * - Spread: the same counts over 1,000 rooms (1, then 5 each) → the extra
 *   growth over the dense layout / the extra documents = per document.
 * RSS grows in steps (heap pages), so single figures move by a few KiB
 * between runs; the JSON keeps the raw growth.
 *
 * Not one big room: every new connection's awareness state goes to every
 * connection of its room, so opening N in one room costs N²/2 frames.
 */
import { roomSourceFor, type BenchRoom } from '../load/rooms.js';
import type { SyncClient } from '../load/sync-client.js';
import { openClients } from '../load/traffic.js';
import { sleep } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const PER_ROOM = 50;
const MANY_ROOMS = 1_000;
const CONNECTIONS = [1_000, 5_000];
const KINDS: RelayKind[] = ['reference', 'happy-chat'];

interface Measured {
  /** Bytes per connection at each connection count (dense layout). */
  perConnection: Record<number, number>;
  /** Bytes per loaded document at each connection count (spread minus dense). */
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
      const perConnection: Record<number, number> = {};
      const perDocument: Record<number, number> = {};
      const rss: Record<string, number> = {};
      // Rooms of PER_ROOM: the first 1,000 connections in 20 rooms, the next 4,000 in 80 more.
      const docsInDenseLayout = (total: number) => total / PER_ROOM;
      await measureFresh(
        relay,
        (total) => ({ rooms: manyRooms.slice(0, docsInDenseLayout(total)), perRoom: PER_ROOM }),
        (total, growth) => {
          rss[`dense${total}`] = growth;
          perConnection[total] = growth / total;
        },
      );
      // The same connection counts spread over all rooms: the difference is documents.
      await measureFresh(
        relay,
        (total) => ({ rooms: manyRooms, perRoom: total / MANY_ROOMS }),
        (total, growth) => {
          rss[`spread${total}`] = growth;
          perDocument[total] = (growth - rss[`dense${total}`]) / (MANY_ROOMS - docsInDenseLayout(total));
        },
      );
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
  const [fewer, more] = CONNECTIONS;
  const marginal = (m: Measured | undefined) =>
    m ? (m.rssGrowth[`dense${more}`] - m.rssGrowth[`dense${fewer}`]) / (more - fewer) / 1024 : null;
  const rows: Row[] = CONNECTIONS.flatMap((total) => [
    {
      scenario: `idle capacity, ${total} connections`,
      metric: `RSS per idle connection (${PER_ROOM} per doc)`,
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
  rows.push({
    scenario: `idle capacity, ${fewer}→${more} connections`,
    metric: 'RSS per added idle connection',
    unit: 'KiB',
    ours: marginal(ours),
    reference: marginal(reference),
    note: 'growth between the two dense measurements: no first-use costs',
  });
  return { name: 'idle-capacity', rows, raw: { perRoom: PER_ROOM, manyRooms: MANY_ROOMS, connections: CONNECTIONS, measured }, failures };
}

/** Which rooms hold how many connections when there are `total` in all. */
type Layout = (total: number) => { rooms: BenchRoom[]; perRoom: number };

/**
 * In a fresh relay process (same data), opens connections following
 * `layout` up to each count in CONNECTIONS and reports the RSS growth since
 * the start.
 */
async function measureFresh(relay: RelayProcess, layout: Layout, report: (total: number, rssGrowth: number) => void): Promise<void> {
  await relay.restart();
  const base = await relay.rssAfterGc();
  const open = new Map<BenchRoom, SyncClient[]>();
  try {
    for (const total of CONNECTIONS) {
      const { rooms, perRoom } = layout(total);
      for (const room of rooms) if (!open.has(room)) open.set(room, []);
      // Each room gets connections up to perRoom, numbered on from what it has.
      const byCount = new Map<number, BenchRoom[]>();
      for (const room of rooms) {
        const has = open.get(room)?.length ?? 0;
        byCount.set(has, [...(byCount.get(has) ?? []), room]);
      }
      for (const [has, group] of byCount) {
        const opened = await openClients(group, perRoom - has, { startIndex: has });
        group.forEach((room, i) => open.get(room)?.push(...opened[i]));
      }
      await sleep(300);
      report(total, (await relay.rssAfterGc()) - base);
    }
    const closed = [...open.values()].flat().filter((client) => client.closedWith !== null);
    if (closed.length > 0) throw new Error(`${closed.length} idle connections were closed (first: ${closed[0].closedWith?.code})`);
  } finally {
    for (const client of [...open.values()].flat()) client.close();
  }
}

function relayFailures(kind: RelayKind, relay: RelayProcess): string[] {
  return /error/i.test(relay.recentStderr) ? [`${kind} relay logged errors: ${relay.recentStderr.slice(-500)}`] : [];
}

function kib(bytes: number | undefined): number | null {
  return bytes === undefined ? null : bytes / 1024;
}
