/**
 * The one test suite every notification-choices store passes
 * (push-preferences.ts). Call `pushPreferenceStoreContract` from a test file
 * with a way to open a fresh, empty store and a second handle on the same
 * storage (another relay).
 */
import { describe, expect, it } from 'vitest';
import type { PushPreferenceStore } from './push-preferences.js';

export interface PushPreferenceStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<PushPreferenceStore> | PushPreferenceStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store (one process). */
  sameStorage(store: PushPreferenceStore): Promise<PushPreferenceStore> | PushPreferenceStore;
}

export function pushPreferenceStoreContract(name: string, subject: PushPreferenceStoreUnderTest): void {
  describe(`${name} push preference store`, () => {
    it('keeps a change over the defaults, with its language, and lists who wants the digest', async () => {
      const store = await subject.open();
      expect(await store.settingsOf('u1')).toBeUndefined();
      expect(await store.digestMinutes()).toEqual(new Map());
      expect(await store.changeSettings('u1', { digestAfterMinutes: 60 }, 'zh-CN')).toMatchObject({
        showContent: true,
        digestAfterMinutes: 60,
        locale: 'zh-CN',
      });
      await store.changeSettings('u2', { showContent: false }, 'en');
      expect(await store.settingsOf('u2')).toMatchObject({ showContent: false, locale: 'en' });
      expect(await store.digestMinutes()).toEqual(new Map([['u1', 60]]));
      // A change names only what it changes; the language is the latest request's.
      expect(await store.changeSettings('u1', { showContent: false }, 'en')).toMatchObject({
        showContent: false,
        digestAfterMinutes: 60,
        locale: 'en',
      });
      await store.changeSettings('u1', { digestAfterMinutes: null }, 'en');
      expect(await store.digestMinutes()).toEqual(new Map());
      expect((await store.settingsOf('u1'))?.showContent).toBe(false);
    });

    it('keeps both of two changes to different settings of one person made at once through two relays', async () => {
      const first = await subject.open();
      const second = await subject.sameStorage(first);
      for (let round = 0; round < 10; round++) {
        const show = round % 2 === 0;
        const minutes = round % 2 === 0 ? 480 : 60;
        await Promise.all([
          first.changeSettings('u1', { showContent: show }, 'en'),
          second.changeSettings('u1', { digestAfterMinutes: minutes }, 'en'),
        ]);
        expect(await first.settingsOf('u1')).toMatchObject({ showContent: show, digestAfterMinutes: minutes });
      }
    });

    it('mutes and unmutes a conversation for one person, seen through another relay at once', async () => {
      const store = await subject.open();
      const other = await subject.sameStorage(store);
      await store.setMuted('u1', 'c2', true);
      await store.setMuted('u1', 'c1', true);
      await store.setMuted('u1', 'c1', true);
      await store.setMuted('u10', 'c3', true);
      expect(await other.isMuted('u1', 'c1')).toBe(true);
      expect(await other.isMuted('u2', 'c1')).toBe(false);
      // A person whose id starts with another's is not listed with them.
      expect(await other.mutedOf('u1')).toEqual(['c1', 'c2']);
      await other.setMuted('u1', 'c1', false);
      await other.setMuted('u1', 'c9', false);
      expect(await store.isMuted('u1', 'c1')).toBe(false);
      expect(await store.mutedOf('u1')).toEqual(['c2']);
    });
  });
}
