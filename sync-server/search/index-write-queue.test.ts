/** The search index's deferred writes: many stored batches become one LevelDB write, a full queue re-indexes instead of growing (issue 14). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schema.js';
import { Database } from '../store/database.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { IndexWriteQueue, type IndexWriteQueueOptions, type StoredMessageState } from './index-write-queue.js';
import { MessageIndexStore } from './message-index-store.js';

let dir: string;
let db: Database;
let store: MessageIndexStore;

beforeEach(async () => {
  dir = await makeTempDir();
  db = await Database.open(dir);
  store = new MessageIndexStore(db);
});

afterEach(async () => {
  await db.close();
  await removeDir(dir);
});

function stored(n: number, text: string): StoredMessageState {
  const messageId = `m${String(n).padStart(4, '0')}`;
  const message: Message = { id: messageId, author: 'ada', kind: 'text', text, createdAt: 1_000 + n };
  return { messageId, message, seq: n };
}

/** A queue over the real store whose LevelDB writes and overflows are counted. */
function countingQueue(options: IndexWriteQueueOptions) {
  const seen = { writes: 0, written: [] as string[], overflowed: [] as string[] };
  const applyAll = store.applyAll.bind(store);
  store.applyAll = (changes, through) => {
    seen.writes++;
    return applyAll(changes, through);
  };
  const queue = new IndexWriteQueue(
    store,
    quietLogger,
    { written: (ids) => seen.written.push(...ids), overflowed: (docName) => seen.overflowed.push(docName) },
    options,
  );
  return { queue, seen };
}

describe('IndexWriteQueue', () => {
  it('writes the messages of many stored batches and conversations as one index write', async () => {
    const { queue, seen } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 10_000 });
    for (let n = 1; n <= 50; n++) queue.note(`conv/c${n % 5}`, `c${n % 5}`, [stored(n, `kayak trip number ${n}`)], n);
    expect(seen.writes).toBe(0);

    await queue.idle();
    expect(seen.writes).toBe(1);
    expect(seen.written).toHaveLength(50);
    for (let c = 0; c < 5; c++) expect((await store.candidates([`c${c}`], [{ term: 'kayak', prefix: true }], 1000)).length).toBe(10);
  });

  it('keeps the last state of a message noted twice before its write (an edit, then a delete)', async () => {
    const { queue } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 10_000 });
    queue.note('conv/c1', 'c1', [stored(1, 'old words')], 1);
    await queue.idle();
    const edited = stored(1, 'new words');
    queue.note('conv/c1', 'c1', [edited], 2);
    queue.note('conv/c1', 'c1', [{ ...edited, message: edited.message && { ...edited.message, deleted: true } }], 3);
    await queue.idle();
    expect((await store.candidates(['c1'], [{ term: 'words', prefix: true }], 1000)).length).toBe(0);
    expect(await store.records('c1', ['m0001'])).toEqual([]);
  });

  it('starts a write once a batch is full, without waiting for the delay', async () => {
    let written: (ids: readonly string[]) => void = () => {};
    const firstWrite = new Promise<readonly string[]>((resolve) => (written = resolve));
    const queue = new IndexWriteQueue(
      store,
      quietLogger,
      { written, overflowed: () => {} },
      { delayMs: 60_000, batchSize: 10, maxPending: 10_000 },
    );
    for (let n = 1; n <= 10; n++) queue.note('conv/c1', 'c1', [stored(n, 'coffee later')], n);
    expect(await firstWrite).toHaveLength(10);
    expect((await store.candidates(['c1'], [{ term: 'coffee', prefix: true }], 1000)).length).toBe(10);
  });

  it('drops what a document noted past the bound and asks for it to be indexed again whole', async () => {
    const { queue, seen } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 5 });
    for (let n = 1; n <= 4; n++) queue.note('conv/a', 'a', [stored(n, 'station')], n);
    queue.note('conv/b', 'b', [stored(5, 'station')], 1);
    queue.note('conv/a', 'a', [stored(6, 'station')], 5);
    expect(seen.overflowed).toEqual(['conv/a']);
    await queue.idle();
    // Only b's message was left to write: a's four are the overflow handler's to redo.
    expect(seen.written).toEqual(['m0005']);
  });

  it("records how far each document's log is indexed with the write, a batch without messages with the next one", async () => {
    const { queue, seen } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 10_000 });
    queue.note('conv/a', 'a', [stored(1, 'harbour')], 1);
    queue.note('conv/b', 'b', [stored(2, 'harbour')], 4);
    await queue.idle();
    expect([await store.indexedThrough('conv/a'), await store.indexedThrough('conv/b')]).toEqual([1, 4]);

    // A stored batch that changed no message (a rename, say): no write of its own…
    queue.note('conv/a', 'a', [], 2);
    queue.settle('conv/b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.writes).toBe(1);
    // …its clock goes with the next write.
    queue.note('conv/b', 'b', [stored(3, 'harbour')], 5);
    await queue.idle();
    expect(seen.writes).toBe(2);
    expect([await store.indexedThrough('conv/a'), await store.indexedThrough('conv/b')]).toEqual([2, 5]);
  });

  it('records no clock for a document whose index write failed until it was indexed whole again', async () => {
    const { queue, seen } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 10_000 });
    queue.note('conv/a', 'a', [stored(1, 'ferry')], 1);
    await queue.idle();
    const applyAll = store.applyAll;
    store.applyAll = () => Promise.reject(new Error('disk gone'));
    queue.note('conv/a', 'a', [stored(2, 'ferry')], 2);
    await queue.idle();
    expect(seen.overflowed).toEqual(['conv/a']);
    store.applyAll = applyAll;

    // A later write must not claim the lost one's clock: the document still needs indexing whole.
    queue.note('conv/a', 'a', [stored(3, 'ferry')], 3);
    await queue.idle();
    expect(await store.indexedThrough('conv/a')).toBe(1);
    queue.reindexed('conv/a');
    queue.note('conv/a', 'a', [stored(4, 'ferry')], 4);
    await queue.idle();
    expect(await store.indexedThrough('conv/a')).toBe(4);
  });

  it('reads no old record for a message numbered in its batch, unless a whole indexing ran since it was noted', async () => {
    const { queue } = countingQueue({ delayMs: 60_000, batchSize: 1_000, maxPending: 10_000 });
    const read: string[] = [];
    // The index's sublevels read through the root.
    const getMany = db.root.getMany.bind(db.root);
    db.root.getMany = ((keys: string[], ...rest: unknown[]) => {
      read.push(...keys);
      return (getMany as (...args: unknown[]) => ReturnType<typeof getMany>)(keys, ...rest);
    }) as typeof db.root.getMany;
    const first = (n: number, text: string): StoredMessageState => ({ ...stored(n, text), first: true });

    queue.note('conv/c1', 'c1', [first(1, 'lighthouse tour')], 1);
    queue.note('conv/c1', 'c1', [stored(1, 'lighthouse visit')], 2); // edited before its write: still never written
    await queue.idle();
    expect(read).toEqual([]);
    expect((await store.candidates(['c1'], [{ term: 'visit', prefix: false }], 10)).length).toBe(1);

    // A whole indexing writes the message while its note waits: the note's write must replace that record.
    queue.note('conv/c1', 'c1', [first(2, 'new words')], 3);
    queue.distrust('conv/c1');
    await store.apply(
      'c1',
      [{ messageId: 'm0002', author: 'ada', text: 'old words', createdAt: 1_002, seq: 2, terms: ['old', 'words'] }],
      [],
    );
    queue.reindexed('conv/c1');
    await queue.idle();
    expect(read.length).toBeGreaterThan(0);
    expect((await store.candidates(['c1'], [{ term: 'old', prefix: false }], 10)).length).toBe(0);
    expect((await store.candidates(['c1'], [{ term: 'new', prefix: false }], 10)).length).toBe(1);
  });
});
