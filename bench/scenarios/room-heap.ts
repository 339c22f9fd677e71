/**
 * Room heap (issue 14's "a loaded conversation ≤ the reference's empty
 * document"): the V8 heap a loaded room holds with one idle connection, ours
 * beside the reference in the same run. Rooms are made first, then the relay
 * restarts on the same data (setup garbage gone); the heap in use after a
 * full GC (asked over IPC, as idle-capacity asks before reading RSS) is read
 * before and after one stock-provider connection per room (sync step 1, one
 * awareness state) opens and goes quiet, and after the first half of them
 * (the second half's growth has no first-use costs: code compiled once). The heap after a full GC is a count
 * of live bytes, so unlike RSS (heap pages) it hardly moves between runs.
 *
 * Ours is measured twice (docs/ARCHITECTURE.md, "Dormant rooms"): awake
 * (`ROOM_DORMANT_AFTER_MS=0`, every room keeps its Y.Doc: the figure of
 * sessions before 15) and asleep, with a threshold of `DORMANT_AFTER_MS`
 * and each reading taken after twice that wait, so every idle room has let
 * go of its Y.Doc, as the product's idle rooms do after 30 s. A short
 * threshold rather than the product's, so the run does not wait out 30 s
 * twice; what a room keeps asleep does not depend on how long it waited.
 *
 * `BENCH_ROOM_HEAP_ROOMS` sets the room count (default 1,000);
 * `BENCH_HEAP_SNAPSHOT_DIR` also writes a heap snapshot of each relay with
 * no connection, with half of its rooms open and with all open (diff half and all by constructor in DevTools:
 * what an added room costs).
 */
import path from 'node:path';
import { roomSourceFor } from '../load/rooms.js';
import type { SyncClient } from '../load/sync-client.js';
import { openClients } from '../load/traffic.js';
import { sleep } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const ROOMS = Number(process.env.BENCH_ROOM_HEAP_ROOMS ?? 1_000);
/** The dormancy threshold of the asleep run; its readings wait twice this (a room sleeps within 1.25 thresholds). */
const DORMANT_AFTER_MS = 1_000;

/** One relay measured: which, with what environment, and how long each reading waits after its connections open. */
interface Variant {
  name: 'reference' | 'awake' | 'asleep';
  kind: RelayKind;
  env: Record<string, string>;
  settleMs: number;
}
const VARIANTS: Variant[] = [
  { name: 'reference', kind: 'reference', env: {}, settleMs: 300 },
  { name: 'awake', kind: 'happy-chat', env: { ROOM_DORMANT_AFTER_MS: '0' }, settleMs: 300 },
  { name: 'asleep', kind: 'happy-chat', env: { ROOM_DORMANT_AFTER_MS: String(DORMANT_AFTER_MS) }, settleMs: 2 * DORMANT_AFTER_MS },
];
/** Full GCs in a row before a reading: the second frees what the first's finalizers let go. */
const GCS_PER_READING = 3;
/** Heap snapshots before and after the connections open (diff them by constructor), or none. */
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;

interface Measured {
  heapBefore: number;
  heapAfter: number;
  /** After the first half of the rooms got their connection. */
  heapHalf: number;
  rssBefore: number;
  rssAfter: number;
  heapPerRoom: number;
  /** The second half's growth per room: without first-use costs (code compiled, tables grown once). */
  heapPerAddedRoom: number;
  /** ArrayBuffers' bytes per loaded room: outside the V8 heap (a dormant room's document bytes, socket buffers). */
  arrayBuffersPerRoom: number;
  rssPerRoom: number;
}

export async function roomHeap(): Promise<ScenarioResult> {
  const measured: Partial<Record<Variant['name'], Measured>> = {};
  const failures: string[] = [];
  for (const { name, kind, env, settleMs } of VARIANTS) {
    const relay = await RelayProcess.start(kind, env);
    let clients: SyncClient[] = [];
    try {
      const rooms = await roomSourceFor(relay).rooms(ROOMS);
      await relay.restart();
      const before = await settledMemory(relay);
      const heapBefore = before.heapUsed;
      const rssBefore = await relay.rss();
      const snapshot = (when: string) =>
        snapshotDir ? relay.heapSnapshot(path.join(snapshotDir, `${name}-${ROOMS}-rooms-${when}.heapsnapshot`)) : undefined;
      await snapshot('before');
      const half = Math.floor(ROOMS / 2);
      clients = (await openClients(rooms.slice(0, half), 1)).flat();
      await sleep(settleMs);
      const heapHalf = (await settledMemory(relay)).heapUsed;
      await snapshot('half');
      clients.push(...(await openClients(rooms.slice(half), 1)).flat());
      await sleep(settleMs);
      const after = await settledMemory(relay);
      const heapAfter = after.heapUsed;
      const rssAfter = await relay.rss();
      const closed = clients.filter((client) => client.closedWith !== null);
      if (closed.length > 0) throw new Error(`${closed.length} idle connections were closed (first: ${closed[0].closedWith?.code})`);
      await snapshot('after');
      measured[name] = {
        heapBefore,
        heapAfter,
        rssBefore,
        rssAfter,
        heapHalf,
        heapPerRoom: (heapAfter - heapBefore) / ROOMS,
        heapPerAddedRoom: (heapAfter - heapHalf) / (ROOMS - half),
        arrayBuffersPerRoom: (after.arrayBuffers - before.arrayBuffers) / ROOMS,
        rssPerRoom: (rssAfter - rssBefore) / ROOMS,
      };
      if (/error/i.test(relay.recentStderr)) failures.push(`${name} relay logged errors: ${relay.recentStderr.slice(-500)}`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const client of clients) client.close();
      await relay.stop();
    }
  }
  const ours = measured.awake;
  const asleep = measured.asleep;
  const reference = measured.reference;
  const rows: Row[] = [
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'V8 heap per loaded room asleep (after GC)',
      unit: 'KiB',
      ours: kib(asleep?.heapPerRoom),
      reference: kib(reference?.heapPerRoom),
      target: { kind: 'at-most-ratio', ratio: 1 },
      note: `idle past ROOM_DORMANT_AFTER_MS (${DORMANT_AFTER_MS} ms here): the document kept as bytes`,
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'V8 heap per added room asleep (2nd half)',
      unit: 'KiB',
      ours: kib(asleep?.heapPerAddedRoom),
      reference: kib(reference?.heapPerAddedRoom),
      target: { kind: 'at-most-ratio', ratio: 1 },
      note: 'no first-use costs (code, tables grown once)',
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'V8 heap per loaded room (after GC)',
      unit: 'KiB',
      ours: kib(ours?.heapPerRoom),
      reference: kib(reference?.heapPerRoom),
      target: { kind: 'at-most-ratio', ratio: 1 },
      note: 'awake (ROOM_DORMANT_AFTER_MS=0): room + one idle stock-provider connection',
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'V8 heap per added room (2nd half)',
      unit: 'KiB',
      ours: kib(ours?.heapPerAddedRoom),
      reference: kib(reference?.heapPerAddedRoom),
      target: { kind: 'at-most-ratio', ratio: 1 },
      note: 'no first-use costs (code, tables grown once)',
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'ArrayBuffers per loaded room asleep',
      unit: 'KiB',
      ours: kib(asleep?.arrayBuffersPerRoom),
      reference: kib(reference?.arrayBuffersPerRoom),
      note: 'outside the V8 heap: a sleeping document is bytes (> 64 B), counted here',
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'ArrayBuffers per loaded room awake',
      unit: 'KiB',
      ours: kib(ours?.arrayBuffersPerRoom),
      reference: kib(reference?.arrayBuffersPerRoom),
      note: 'outside the V8 heap',
    },
    {
      scenario: `room heap, ${ROOMS} rooms × 1 connection`,
      metric: 'RSS per loaded room',
      unit: 'KiB',
      ours: kib(ours?.rssPerRoom),
      reference: kib(reference?.rssPerRoom),
      note: 'heap pages: steps, noisier',
    },
  ];
  return { name: 'room-heap', rows, raw: { rooms: ROOMS, measured }, failures };
}

/** The heap in use and the ArrayBuffers' bytes after GCS_PER_READING full GCs (the last reading). */
async function settledMemory(relay: RelayProcess): Promise<{ heapUsed: number; arrayBuffers: number }> {
  let memory = { heapUsed: 0, arrayBuffers: 0 };
  for (let i = 0; i < GCS_PER_READING; i++) memory = await relay.memoryAfterGc();
  return memory;
}

function kib(bytes: number | undefined): number | null {
  return bytes === undefined ? null : bytes / 1024;
}
