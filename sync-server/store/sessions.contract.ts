/**
 * The one test suite every session record store passes (sessions.ts).
 * Call `sessionRecordStoreContract` from a test file with a way to open a
 * fresh, empty store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from './database.js';
import type { SessionRecordStore } from './sessions.js';

export interface SessionRecordStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<SessionRecordStore> | SessionRecordStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: SessionRecordStore): Promise<SessionRecordStore> | SessionRecordStore;
}

function session(id: string, userId = 'u1', changes: Partial<SessionRecord> = {}): SessionRecord {
  return { id, userId, expiresAt: 1_000_000, secretHash: 'a'.repeat(64), ...changes };
}

export function sessionRecordStoreContract(name: string, subject: SessionRecordStoreUnderTest): void {
  describe(`${name} session record store`, () => {
    it('keeps a session as it was created, old-format ones (no secret hash) included', async () => {
      const store = await subject.open();
      const legacy: SessionRecord = { id: 'old', userId: 'u1', expiresAt: 2_000_000_000_000 };
      await store.create(session('s1'));
      await store.create(legacy);
      const other = await subject.sameStorage(store);
      expect(await other.get('s1')).toEqual(session('s1'));
      expect(await other.get('old')).toEqual(legacy);
      expect(await other.get('none')).toBeUndefined();
    });

    it('writes what a change makes of the session as it is now, and nothing when it says null', async () => {
      const store = await subject.open();
      await store.create(session('s1'));
      const renewed = await store.change('s1', (current) => ({ ...current, expiresAt: current.expiresAt + 5, legacyUntil: 9 }));
      expect(renewed).toEqual(session('s1', 'u1', { expiresAt: 1_000_005, legacyUntil: 9 }));
      expect(await store.change('s1', () => null)).toBeNull();
      expect(await (await subject.sameStorage(store)).get('s1')).toEqual(renewed);
    });

    it('never brings back a deleted session, and never loses one of many changes made at once through two handles', async () => {
      const store = await subject.open();
      const other = await subject.sameStorage(store);
      await store.create(session('s1'));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).change('s1', (current) => ({ ...current, expiresAt: current.expiresAt + 1 })),
        ),
      );
      expect((await store.get('s1'))?.expiresAt).toBe(1_000_020);
      await other.delete('s1');
      let called = false;
      expect(
        await store.change('s1', (current) => {
          called = true;
          return current;
        }),
      ).toBeNull();
      expect(called).toBe(false);
      expect(await store.get('s1')).toBeUndefined();
    });

    it('keeps when a session began, on what device, and its last use as changed (issue 15 account settings)', async () => {
      const store = await subject.open();
      const made = session('s1', 'u1', { createdAt: 1_000, lastUsedAt: 1_000, device: 'Firefox on Linux' });
      await store.create(made);
      const other = await subject.sameStorage(store);
      expect(await other.get('s1')).toEqual(made);
      await other.change('s1', (current) => ({ ...current, lastUsedAt: 5_000 }));
      expect(await store.get('s1')).toEqual({ ...made, lastUsedAt: 5_000 });
    });

    it('lists every session of a person, and forgets deleted ones', async () => {
      const store = await subject.open();
      await store.create(session('s1', 'u1'));
      await store.create(session('s2', 'u1'));
      await store.create(session('s3', 'u10'));
      expect((await store.idsOf('u1')).sort()).toEqual(['s1', 's2']);
      await store.delete('s1');
      await store.delete('never-there');
      const other = await subject.sameStorage(store);
      expect(await other.idsOf('u1')).toEqual(['s2']);
      expect(await other.idsOf('u10')).toEqual(['s3']);
      expect(await other.idsOf('nobody')).toEqual([]);
    });
  });
}
