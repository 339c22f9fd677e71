/**
 * The one test suite every digest record store passes (digest-records.ts).
 * Call `digestRecordStoreContract` from a test file with a way to open a
 * fresh, empty store and a second handle on the same storage (another relay).
 */
import { describe, expect, it } from 'vitest';
import type { DigestRecord, DigestRecordStore } from './digest-records.js';

export interface DigestRecordStoreUnderTest {
  open(): Promise<DigestRecordStore> | DigestRecordStore;
  sameStorage(store: DigestRecordStore): Promise<DigestRecordStore> | DigestRecordStore;
}

/** Adds a line for `conversationId` (as the digest notes a message), starting the record at `since` if there is none. */
function withLine(conversationId: string, since: number) {
  return (record: DigestRecord | undefined): DigestRecord => ({
    since: record?.since ?? since,
    conversations: { ...record?.conversations, [conversationId]: { title: conversationId, count: 1, from: ['Ada'] } },
  });
}

export function digestRecordStoreContract(name: string, subject: DigestRecordStoreUnderTest): void {
  describe(`${name} digest record store`, () => {
    it('changes, lists and takes a person’s record; undefined removes it', async () => {
      const store = await subject.open();
      expect(await store.waiting()).toEqual([]);
      await store.update('u1', withLine('c1', 100));
      await store.update('u1', withLine('c2', 200));
      await store.update('u2', withLine('c1', 300));
      expect(await store.waiting()).toEqual([
        { userId: 'u1', since: 100 },
        { userId: 'u2', since: 300 },
      ]);
      await store.update('u2', () => undefined);
      const taken = await store.take('u1');
      expect(taken?.since).toBe(100);
      expect(Object.keys(taken?.conversations ?? {}).sort()).toEqual(['c1', 'c2']);
      expect(await store.take('u1')).toBeUndefined();
      expect(await store.waiting()).toEqual([]);
    });

    it('keeps every line of 20 changes to one person made at once through two relays', async () => {
      const first = await subject.open();
      const second = await subject.sameStorage(first);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).update('u1', withLine(`c${i}`, 100))));
      const record = await first.take('u1');
      expect(Object.keys(record?.conversations ?? {})).toHaveLength(20);
    });

    it('gives a record taken by three relays at once to one of them', async () => {
      const first = await subject.open();
      const takers = [first, await subject.sameStorage(first), await subject.sameStorage(first)];
      await first.update('u1', withLine('c1', 100));
      const taken = await Promise.all(takers.map((taker) => taker.take('u1')));
      expect(taken.filter((record) => record !== undefined)).toHaveLength(1);
    });
  });
}
