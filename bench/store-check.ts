/**
 * `npx tsx bench/store-check.ts [documents] [updates per document]`: what
 * the store check (store/store-check.ts) and the document marks
 * (store/doc-marks.ts) cost on a store of that size, built in a temp dir.
 * Figures for docs/OPERATIONS.md; not part of `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { Database } from '../sync-server/store/database.js';
import { LevelDocumentLog } from '../sync-server/store/level-document-log.js';
import { checkStore } from '../sync-server/store/store-check.js';
const quiet = { info() {}, warn() {}, error() {} };
const dir = await mkdtemp(path.join(os.tmpdir(), 'measure-'));
const db = await Database.open(dir, { log: quiet });
const store = new LevelDocumentLog(db);
const DOCS = Number(process.argv[2] ?? 1000),
  UPDATES = Number(process.argv[3] ?? 100);
let t = performance.now();
for (let d = 0; d < DOCS; d++) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < UPDATES; i++) doc.getMap('messages').set(`m${i}`, { text: `message ${i} ${'words '.repeat(10)}` });
  await store.append(`conv/doc${d}`, { updates, clientOwners: [] }, 0);
  doc.destroy();
}
console.log(`wrote ${DOCS} docs x ${UPDATES} updates in ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
await db.marks.flush();
console.log(`marks flush (${DOCS} docs): ${(performance.now() - t).toFixed(1)} ms`);
t = performance.now();
for (let i = 0; i < 5; i++) {
  db.marks.note('conv/doc1', UPDATES);
  await db.marks.flush();
}
console.log(`marks flush avg: ${((performance.now() - t) / 5).toFixed(1)} ms`);
t = performance.now();
const report = await checkStore(db);
console.log(
  `check: ${report.keys} keys, ${report.documents} docs, ${report.problems.length} problems in ${(performance.now() - t).toFixed(0)} ms`,
);
await db.close();
await rm(dir, { recursive: true, force: true });
