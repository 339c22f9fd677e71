/**
 * The search index's writes trail the stored batches (index-write-queue.ts):
 * a process that dies in between must not leave a stored message out of the
 * index for good. Real LevelDB on disk; the "crash" drops the indexer with
 * its queue unwritten and reopens the store, as a SIGKILL would leave it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { RoomHarness } from '../testing/room-harness.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { MessageIndexStore } from './message-index-store.js';
import { SearchIndexer } from './search-indexer.js';

let dir: string;
const opened: Database[] = [];

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  await removeDir(dir);
});

/** The store, a room on `conv/c1` and its search indexer, on the data in `dir`; the queue waits an hour unless asked. */
async function open() {
  const db = await Database.open(dir);
  opened.push(db);
  const index = new MessageIndexStore(db);
  const indexer = new SearchIndexer(index, quietLogger, { delayMs: 3_600_000, batchSize: 1_000, maxPending: 10_000 });
  const harness = await RoomHarness.open({ store: new LevelDocumentLog(db), docName: 'conv/c1', participants: [indexer] });
  const found = async (word: string) => (await index.candidates(['c1'], [{ term: word, prefix: true }], 10)).length;
  return { db, index, indexer, harness, found };
}

it('indexes a message stored just before the process died, when its conversation loads again', async () => {
  const first = await open();
  await first.indexer.idle(); // the new conversation is indexed (empty) and marked current
  const ada = first.harness.connect('ada');
  const sent = ada.change((doc) => writeMessage(doc, 'ada', 'a kayak for the weekend'));
  await first.harness.room.flushed();
  expect(sent.byteLength).toBeGreaterThan(0);
  expect(seqIndexOf(first.harness.room.doc).size).toBe(1);
  // Died here: stored and sent, its index write still waiting in memory.
  opened.splice(opened.indexOf(first.db), 1);
  await first.db.close();

  const second = await open();
  await second.indexer.idle();
  expect(await second.found('kayak')).toBe(1);
});

it('does not index a conversation whole again after a clean unload', async () => {
  const first = await open();
  await first.indexer.idle();
  first.harness.connect('ada').change((doc) => writeMessage(doc, 'ada', 'a ferry at noon'));
  await first.harness.room.flushed();
  first.harness.destroy();
  await first.indexer.idle();
  expect(await first.found('ferry')).toBe(1);
  opened.splice(opened.indexOf(first.db), 1);
  await first.db.close();

  const second = await open();
  const wholeIndexings: string[] = [];
  const markCurrent = second.index.markCurrent.bind(second.index);
  second.index.markCurrent = (docName, nextClock) => {
    wholeIndexings.push(docName);
    return markCurrent(docName, nextClock);
  };
  await second.indexer.idle();
  expect(wholeIndexings).toEqual([]);
  expect(await second.found('ferry')).toBe(1);
});
