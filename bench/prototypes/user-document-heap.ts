/**
 * Prototype for issue 12: what one loaded `user/<id>` of 1,000 conversation
 * summaries costs the relay's heap, and where it goes. Each variant's
 * document is written to LevelDB as the relay would find it (one log entry,
 * as after compaction, or many: one per summary, as conversations come one
 * by one), loaded through a `DocRegistry` `COPIES` times, and measured as
 * V8 heap after a full GC, per copy, beside the stored update's bytes.
 * Run with
 * `node --expose-gc --import tsx bench/prototypes/user-document-heap.ts [conversations] [copies]`.
 */
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { conversationsOf, headMarksOf, headsOf, type ConversationSummary } from '../../shared/schema.js';
import type { Head } from '../../shared/heads.js';
import { DocRegistry } from '../../sync-server/relay/doc-registry.js';
import type { Room } from '../../sync-server/relay/room.js';
import { Database } from '../../sync-server/store/database.js';
import { LevelDocumentLog } from '../../sync-server/store/level-document-log.js';
import { makeTempDir } from '../../sync-server/testing/temp-dir.js';

const CONVERSATIONS = Number(process.argv[2] ?? 1000);
const COPIES = Number(process.argv[3] ?? 8);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const idOf = (i: number) => `c${String(i).padStart(6, '0')}-${'x'.repeat(14)}`;
const summaryOf = (i: number): ConversationSummary => ({
  id: idOf(i),
  kind: i % 3 === 0 ? 'group' : 'direct',
  title: `Conversation number ${i}`,
  ...(i % 3 === 0 ? {} : { peerId: `u${String(i).padStart(6, '0')}-${'y'.repeat(14)}` }),
  createdAt: 1_765_000_000_000 + i,
});
const headOf = (i: number): Head => ({
  seq: 40 + i,
  at: 1_765_000_000_000 + i * 7,
  author: `u${String(i).padStart(6, '0')}-${'y'.repeat(14)}`,
  kind: 'text',
  preview: `the newest message of conversation ${i}, a line long`,
  readSeq: 38 + i,
});

type Fill = (doc: Y.Doc, i: number) => void;
const variants: Array<{ name: string; fill: Fill }> = [
  { name: 'summaries', fill: (doc, i) => conversationsOf(doc).set(idOf(i), summaryOf(i)) },
  {
    name: 'summaries + headMarks',
    fill: (doc, i) => {
      conversationsOf(doc).set(idOf(i), summaryOf(i));
      headMarksOf(doc).set(idOf(i), { readSeq: 38 + i });
    },
  },
  {
    name: 'summaries + headMarks + per-member heads',
    fill: (doc, i) => {
      conversationsOf(doc).set(idOf(i), summaryOf(i));
      headMarksOf(doc).set(idOf(i), { readSeq: 38 + i });
      headsOf(doc).set(idOf(i), headOf(i));
    },
  },
];

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const dir = await makeTempDir();
const db = await Database.open(dir);
const store = new LevelDocumentLog(db);
const log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
console.log(`${CONVERSATIONS} conversations, ${COPIES} copies each; per copy:`);
for (const [v, variant] of variants.entries()) {
  for (const entries of ['one entry', 'an entry per conversation'] as const) {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < CONVERSATIONS; i++) source.transact(() => variant.fill(source, i));
    const whole = Y.encodeStateAsUpdate(source);
    const names = Array.from({ length: COPIES }, (_, copy) => `user/v${v}-${entries.length}-${copy}`);
    for (const name of names) {
      const stored = entries === 'one entry' ? [whole] : updates;
      await store.append(name, { updates: stored, clientOwners: [] }, 0);
    }
    const registry = new DocRegistry({ store, unloadGraceMs: 60_000, compactThreshold: 100_000, log });
    const before = heap();
    const rooms: Room[] = [];
    for (const name of names) rooms.push(await registry.acquire(name));
    const loaded = heap();
    console.log(`${variant.name}, ${entries}: ${kib((loaded - before) / COPIES)} per loaded copy, stored update ${kib(whole.byteLength)}`);
    for (const room of rooms) room.destroy();
    rooms.length = 0;
  }
}
await db.close();
rmSync(dir, { recursive: true, force: true });
