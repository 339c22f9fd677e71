/**
 * A child process for store/compaction-crash.test.ts: appends to one
 * document's LevelDB log and compacts the log after every append, printing
 * `acked <n>` once append n is stored and `compacted <n>` after each
 * compaction, until the test SIGKILLs it. Arguments: DATA_DIR, document name.
 */
import * as Y from 'yjs';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';

/** Keys written in the first run, so that each compaction rewrites a segment-sized snapshot (~400 KiB). */
const INITIAL_KEYS = 2000;

const [dataDir, docName] = process.argv.slice(2);
if (!dataDir || !docName) throw new Error('usage: compacting-writer.ts <DATA_DIR> <document name>');
const log = new LevelDocumentLog(await Database.open(dataDir));
const stored = await log.load(docName);
const doc = new Y.Doc();
Y.applyUpdate(doc, stored.update);
const entries = doc.getMap<string>('entries');
let clock = stored.nextClock;

/** Stores the change `write` makes as one append; returns once it is acknowledged. */
async function append(write: () => void): Promise<void> {
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array) => updates.push(update);
  doc.on('update', capture);
  doc.transact(write);
  doc.off('update', capture);
  const outcome = await log.append(docName, { updates, clientOwners: [] }, clock);
  if (!outcome.stored) throw new Error(`the log moved on: ${outcome.nextClock}`);
  clock += updates.length;
}

if (entries.size === 0) {
  await append(() => {
    for (let i = 0; i < INITIAL_KEYS; i++) entries.set(`k${i}`, `${'x'.repeat(200)}${i}`);
  });
}
process.stdout.write(`acked ${entries.size - 1}\n`);
for (let n = entries.size; ; n++) {
  await append(() => entries.set(`k${n}`, `${'y'.repeat(200)}${n}`));
  process.stdout.write(`acked ${n}\n`);
  await log.compact(docName, clock, Y.encodeStateAsUpdate(doc));
  process.stdout.write(`compacted ${n}\n`);
}
