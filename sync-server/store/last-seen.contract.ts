/**
 * The one test suite every last-seen store passes (last-seen.ts). Call
 * `lastSeenStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage (another relay).
 */
import { describe, expect, it } from 'vitest';
import type { LastSeenStore } from './last-seen.js';

export interface LastSeenStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<LastSeenStore> | LastSeenStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: LastSeenStore): Promise<LastSeenStore> | LastSeenStore;
}

export function lastSeenStoreContract(name: string, subject: LastSeenStoreUnderTest): void {
  describe(`${name} last-seen store`, () => {
    it('keeps who is online and when each was last seen, read many at once', async () => {
      const store = await subject.open();
      expect(await store.recordsOf([])).toEqual(new Map());
      expect(await store.recordsOf(['u1'])).toEqual(new Map());
      await store.markSeen('u1', true, 1_000);
      await store.markSeen('u2', true, 2_000);
      await store.markSeen('u2', false, 3_000);
      expect(await store.recordsOf(['u1', 'u2', 'u3'])).toEqual(
        new Map([
          ['u1', { online: true, seenAt: 1_000, hidden: false }],
          ['u2', { online: false, seenAt: 3_000, hidden: false }],
        ]),
      );
    });

    it('ignores a mark older than the stored one (another relay saw them leave before they came back)', async () => {
      const store = await subject.open();
      const other = await subject.sameStorage(store);
      await store.markSeen('u1', true, 5_000);
      await other.markSeen('u1', false, 4_000);
      expect((await store.recordsOf(['u1'])).get('u1')).toEqual({ online: true, seenAt: 5_000, hidden: false });
      await other.markSeen('u1', false, 6_000);
      expect((await store.recordsOf(['u1'])).get('u1')).toEqual({ online: false, seenAt: 6_000, hidden: false });
    });

    it('keeps the choice to hide apart from the marks, before and after the first', async () => {
      const store = await subject.open();
      const other = await subject.sameStorage(store);
      await store.setHidden('u1', true);
      expect((await other.recordsOf(['u1'])).get('u1')?.hidden).toBe(true);
      await other.markSeen('u1', true, 7_000);
      expect((await store.recordsOf(['u1'])).get('u1')).toEqual({ online: true, seenAt: 7_000, hidden: true });
      await store.setHidden('u1', false);
      await store.markSeen('u1', false, 8_000);
      expect((await other.recordsOf(['u1'])).get('u1')).toEqual({ online: false, seenAt: 8_000, hidden: false });
    });
  });
}
