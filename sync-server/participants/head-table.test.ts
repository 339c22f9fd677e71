/**
 * The head table over a store that fails a write (participants/head-table.ts):
 * a head whose write failed is written again when asked for again, not taken
 * for the stored one, whether the table numbers revs itself (one process) or
 * the store does (a cluster's sequence).
 */
import { expect, it } from 'vitest';
import type { SharedHead } from '../../shared/heads.js';
import { type HeadRecord, HeadTable, MemoryHeadRecords } from './head-table.js';

const head: SharedHead = { seq: 7, at: 1_700_000_000_000, author: 'u1', kind: 'text', preview: 'hi' };

/** Records in memory whose next write fails once; `numbers`: the store gives the revs (as PostgreSQL's does). */
function failingOnce(numbers: boolean) {
  const store = new MemoryHeadRecords();
  let failNext = true;
  let rev = 100;
  const fail = () => {
    if (!failNext) return;
    failNext = false;
    throw new Error('the store is unavailable');
  };
  const put = store.put.bind(store);
  store.put = async (conversationId: string, record: HeadRecord) => {
    fail();
    await put(conversationId, record);
  };
  if (numbers) {
    Object.assign(store, {
      async putNext(conversationId: string, next: SharedHead): Promise<HeadRecord> {
        fail();
        const record = { head: next, rev: ++rev };
        await put(conversationId, record);
        return record;
      },
    });
  }
  return store;
}

for (const numbers of [false, true]) {
  it(`writes a head again after its write failed (${numbers ? 'the store numbers revs' : 'the table numbers revs'})`, async () => {
    const store = failingOnce(numbers);
    const table = new HeadTable(store);
    await expect(table.put('c1', head)).rejects.toThrow('unavailable');
    expect(store.records.get('c1')).toBeUndefined();
    const written = await table.put('c1', head);
    expect(written?.head).toEqual(head);
    expect(store.records.get('c1')).toEqual(written);
    // Now it is stored: the same head again is nothing to write.
    expect(await table.put('c1', head)).toBeNull();
  });
}
