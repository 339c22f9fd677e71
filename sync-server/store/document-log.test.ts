/**
 * The document log contract (document-log.contract.ts) against each
 * implementation, and what only the LevelDB one promises: entries on disk,
 * marks for the store check, one process per DATA_DIR.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { useTestDatabase } from '../testing/use-test-database.js';
import { Database } from './database.js';
import { documentLogContract } from './document-log.contract.js';
import { logRange } from './keys.js';
import { LevelDocumentLog } from './level-document-log.js';
import { MemoryDocumentLog } from './memory-document-log.js';

const test = useTestDatabase();

documentLogContract('LevelDB', {
  open: () => new LevelDocumentLog(test.db),
  sameStorage: () => new LevelDocumentLog(test.db),
});

documentLogContract('in-memory', {
  open: () => new MemoryDocumentLog(),
  sameStorage: (log) => log,
});

async function logSize(name: string): Promise<number> {
  return (await test.db.docs.keys(logRange(name)).all()).length;
}

it('keeps one LevelDB entry per update until compaction leaves one, and marks what was acknowledged', async () => {
  const log = new LevelDocumentLog(test.db);
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 20; i++) doc.getMap('m').set(`k${i}`, i);
  await log.load('conv/x');
  for (const [clock, update] of updates.entries()) await log.append('conv/x', { updates: [update], clientOwners: [] }, clock);
  expect(await logSize('conv/x')).toBe(20);
  expect(test.db.marks.all.get('conv/x')).toBe(20);

  await log.compact('conv/x', 20, Y.encodeStateAsUpdate(doc));
  expect(await logSize('conv/x')).toBe(1);
  expect((await log.load('conv/x')).nextClock).toBe(20);
});

it('reports a second process on the same DATA_DIR clearly', async () => {
  await expect(Database.open(test.dir)).rejects.toThrow(/Another Happy Chat is using DATA_DIR/);
});

it('writes the appends of documents made together as one LevelDB batch, each stored and marked (group commit)', async () => {
  const log = new LevelDocumentLog(test.db);
  const names = Array.from({ length: 10 }, (_, i) => `conv/group${i}`);
  const updateOf = (name: string) => {
    const doc = new Y.Doc();
    doc.getMap('m').set('name', name);
    return Y.encodeStateAsUpdate(doc);
  };
  for (const name of names) await log.load(name);
  const writes: number[] = [];
  const onWrite = (operations: unknown[]) => writes.push(operations.length);
  test.db.root.on('write', onWrite);
  try {
    // One room's batch with a client owner, nine with one update each: all in one process turn.
    const outcomes = await Promise.all(
      names.map((name, i) => log.append(name, { updates: [updateOf(name)], clientOwners: i === 0 ? [[42, 'user-a']] : [] }, 0)),
    );
    expect(outcomes).toEqual(names.map(() => ({ stored: true })));
  } finally {
    test.db.root.off('write', onWrite);
  }
  expect(writes).toEqual([11]);
  for (const name of names) {
    const stored = await log.load(name);
    expect(stored.nextClock).toBe(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.update);
    expect(doc.getMap('m').get('name')).toBe(name);
    expect(test.db.marks.all.get(name)).toBe(1);
  }
  expect((await log.load(names[0])).clientOwners.get(42)).toBe('user-a');
});
