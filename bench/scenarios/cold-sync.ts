/**
 * Cold sync: a conversation of 10,000 and 100,000 messages, and a fresh
 * client (empty document) opening it. Measures the bytes the relay sends
 * until the client is in sync, the time from opening the socket to having
 * applied the relay's state, and the relay's RSS holding the conversation.
 * Ours also from disk: the document unloaded, so the relay reads the log.
 */
import * as Y from 'yjs';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { addMessages } from '../load/messages.js';
import { roomSourceFor, type BenchRoom } from '../load/rooms.js';
import type { SyncClient } from '../load/sync-client.js';
import { sleep, until, withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { median } from '../report/stats.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const SIZES = [10_000, 100_000];
/** Messages per update while filling: ~90 KB frames, well under the relay's frame limit. */
const FILL_BATCH = 500;
const SYNC_REPEATS: Record<number, number> = { 10000: 3, 100000: 3 };
const SYNC_TIMEOUT_MS = 60_000;
const KINDS: RelayKind[] = ['reference', 'happy-chat'];

interface SizeResult {
  messages: number;
  /** Encoded size of the whole document (Y.encodeStateAsUpdate) as the writer holds it. */
  documentBytes: number;
  fillMs: number;
  /** RSS growth after filling (GC'd), the writer still connected. */
  heldRssBytes: number;
  /** Fresh client: bytes received until synced, and ms from opening the socket. */
  syncBytes: number;
  syncMs: number[];
  /** Ours: the document not loaded (read from LevelDB on connect). */
  fromDisk?: { syncMs: number; heldRssBytes: number };
}

export async function coldSync(): Promise<ScenarioResult> {
  const results: Partial<Record<RelayKind, SizeResult[]>> = {};
  const failures: string[] = [];
  for (const kind of KINDS) {
    results[kind] = [];
    for (const size of SIZES) {
      const relay = await RelayProcess.start(kind);
      try {
        const source = roomSourceFor(relay);
        const [room] = await source.rooms(1);
        results[kind]?.push(await measure(relay, room, size, source.sequenced, failures));
      } catch (error) {
        failures.push(`${kind}, ${size} messages: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await relay.stop();
      }
    }
  }
  return { name: 'cold-sync', rows: rowsOf(results), raw: { sizes: SIZES, fillBatch: FILL_BATCH, results }, failures };
}

async function measure(relay: RelayProcess, room: BenchRoom, size: number, sequenced: boolean, failures: string[]): Promise<SizeResult> {
  await relay.restart();
  const base = await relay.rssAfterGc();
  const writer = room.connect(0);
  await withTimeout(writer.synced, SYNC_TIMEOUT_MS, 'writer sync');
  const fillStart = performance.now();
  for (let n = 0; n < size; n += FILL_BATCH) {
    addMessages(writer.doc, room.authorOf(0), n, Math.min(FILL_BATCH, size - n));
    // One batch in flight at a time, as a client catching up would send.
    await withTimeout(writer.roundTrip(), SYNC_TIMEOUT_MS, 'fill round trip');
  }
  if (sequenced && !(await until(() => seqIndexOf(writer.doc).size === size, SYNC_TIMEOUT_MS))) {
    failures.push(`${relay.kind}: only ${seqIndexOf(writer.doc).size} of ${size} messages were sequenced`);
  }
  const fillMs = performance.now() - fillStart;
  const documentBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  const heldRssBytes = (await relay.rssAfterGc()) - base;

  const syncMs: number[] = [];
  let syncBytes = 0;
  for (let i = 0; i < SYNC_REPEATS[size]; i++) {
    const synced = await freshSync(room, size, failures, relay.kind);
    syncMs.push(synced.ms);
    syncBytes = synced.bytes;
  }
  writer.close();
  const result: SizeResult = { messages: size, documentBytes, fillMs, heldRssBytes, syncBytes, syncMs };

  if (relay.kind !== 'reference') {
    // A fresh process, so the document is on disk only and the memory figure is free of the fill's garbage.
    await relay.restart();
    const freshBase = await relay.rssAfterGc();
    const start = performance.now();
    const reader = room.connect(1);
    await withTimeout(reader.synced, SYNC_TIMEOUT_MS, 'sync from disk');
    const fromDiskMs = performance.now() - start;
    check(reader, size, failures, `${relay.kind} from disk`);
    await sleep(200);
    result.fromDisk = { syncMs: fromDiskMs, heldRssBytes: (await relay.rssAfterGc()) - freshBase };
    reader.close();
  }
  return result;
}

async function freshSync(room: BenchRoom, size: number, failures: string[], kind: RelayKind): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const client = room.connect(1);
  await withTimeout(client.synced, SYNC_TIMEOUT_MS, 'fresh client sync');
  const ms = performance.now() - start;
  check(client, size, failures, kind);
  const bytes = client.bytesReceived;
  client.close();
  return { ms, bytes };
}

function check(client: SyncClient, size: number, failures: string[], who: string): void {
  const held = messagesOf(client.doc).size;
  if (held !== size) failures.push(`${who}: a fresh client got ${held} of ${size} messages`);
}

function rowsOf(results: Partial<Record<RelayKind, SizeResult[]>>): Row[] {
  return SIZES.flatMap((size, i) => {
    const ours = results['happy-chat']?.[i];
    const reference = results.reference?.[i];
    const scenario = `cold sync, ${size.toLocaleString('en-US')} messages`;
    const mib = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 2 ** 20);
    const rows: Row[] = [
      {
        scenario,
        metric: 'document size (encoded)',
        unit: 'MiB',
        ours: mib(ours?.documentBytes),
        reference: mib(reference?.documentBytes),
        note: 'ours carries seq numbers',
      },
      { scenario, metric: 'bytes to a fresh client', unit: 'MiB', ours: mib(ours?.syncBytes), reference: mib(reference?.syncBytes) },
      {
        scenario,
        metric: 'fresh client sync time',
        unit: 'ms',
        ours: ours ? median(ours.syncMs) : null,
        reference: reference ? median(reference.syncMs) : null,
        target: { kind: 'at-most-ratio', ratio: 1 },
        note: `median of ${SYNC_REPEATS[size]}, document loaded`,
      },
      {
        scenario,
        metric: 'fresh client sync time, doc on disk only',
        unit: 'ms',
        ours: ours?.fromDisk?.syncMs ?? null,
        reference: 'no persistence',
      },
      {
        scenario,
        metric: 'relay RSS holding it (after filling)',
        unit: 'MiB',
        ours: mib(ours?.heldRssBytes),
        reference: mib(reference?.heldRssBytes),
        target: { kind: 'at-most-ratio', ratio: 1 },
      },
      {
        scenario,
        metric: 'relay RSS holding it (loaded from disk)',
        unit: 'MiB',
        ours: mib(ours?.fromDisk?.heldRssBytes),
        reference: 'no persistence',
      },
    ];
    return rows;
  });
}
