/**
 * The one test suite every badge count store passes (badge-counts.ts). Call
 * `badgeCountStoreContract` from a test file with a way to open a fresh,
 * empty store and a second handle on the same storage (another relay).
 */
import { describe, expect, it } from 'vitest';
import type { BadgeCountStore } from './badge-counts.js';

export interface BadgeCountStoreUnderTest {
  open(): Promise<BadgeCountStore> | BadgeCountStore;
  sameStorage(store: BadgeCountStore): Promise<BadgeCountStore> | BadgeCountStore;
}

export function badgeCountStoreContract(name: string, subject: BadgeCountStoreUnderTest): void {
  describe(`${name} badge count store`, () => {
    it('sums a person’s conversations; a new count replaces the old, 0 forgets it', async () => {
      const store = await subject.open();
      expect(await store.total('u1')).toBe(0);
      await store.set('u1', 'c1', 3);
      await store.set('u1', 'c2', 2);
      await store.set('u10', 'c1', 7);
      expect(await store.total('u1')).toBe(5);
      await store.set('u1', 'c1', 1);
      expect(await store.total('u1')).toBe(3);
      await store.set('u1', 'c2', 0);
      await store.set('u1', 'c3', 0);
      expect(await store.total('u1')).toBe(1);
      expect(await store.total('u10')).toBe(7);
    });

    it('leaves out the conversations it is told to (the muted ones)', async () => {
      const store = await subject.open();
      await store.set('u1', 'c1', 3);
      await store.set('u1', 'c2', 2);
      await store.set('u1', 'c3', 4);
      await store.set('u2', 'c2', 5);
      expect(await store.total('u1', ['c2'])).toBe(7);
      expect(await store.total('u1', ['c1', 'c3', 'c9'])).toBe(2);
      expect(await store.total('u1', [])).toBe(9);
      expect(await store.total('u2', ['c1'])).toBe(5);
    });

    it('counts once what relays write for different conversations of one person at once', async () => {
      const first = await subject.open();
      const second = await subject.sameStorage(first);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).set('u1', `c${i}`, i + 1)));
      expect(await second.total('u1')).toBe((20 * 21) / 2);
    });
  });
}
