import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useTestDatabase } from '../testing/use-test-database.js';
import { Database } from './database.js';
import { DocStore } from './doc-store.js';

const test = useTestDatabase();

async function logSize(name: string): Promise<number> {
  return (await test.db.docs.keys({ gt: name + '!', lt: name + '!\xff' }).all()).length;
}

describe('DocStore', () => {
  it('loads what was appended and compacts the log into one entry without losing anything', async () => {
    const store = new DocStore(test.db);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 20; i++) doc.getMap('m').set(`k${i}`, i);
    for (const [clock, update] of updates.entries()) await store.append('conv/x', clock, update);
    expect(await logSize('conv/x')).toBe(20);

    await store.compact('conv/x', 20, Y.encodeStateAsUpdate(doc));
    expect(await logSize('conv/x')).toBe(1);
    doc.getMap('m').set('after', true);
    await store.append('conv/x', 20, updates.at(-1) as Uint8Array);

    const loaded = await store.load('conv/x');
    expect(loaded.nextClock).toBe(21);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, loaded.update);
    expect(copy.getMap('m').size).toBe(21);
  });

  it('keeps documents apart even when one name prefixes another', async () => {
    const store = new DocStore(test.db);
    const a = new Y.Doc();
    a.getMap('m').set('only', 'a');
    await store.append('conv/a', 0, Y.encodeStateAsUpdate(a));
    expect((await store.load('conv/ab')).entries).toBe(0);
    expect((await store.load('conv/a')).entries).toBe(1);
  });

  it('reports a second process on the same DATA_DIR clearly', async () => {
    await expect(Database.open(test.dir)).rejects.toThrow(/Another Happy Chat is using DATA_DIR/);
  });
});
