/**
 * The one test suite every push device store passes (push-subscriptions.ts).
 * Call `pushSubscriptionStoreContract` from a test file with a way to open a
 * fresh, empty store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { PushSubscriptionStore, SubscriptionRecord } from './push-subscriptions.js';

export interface PushSubscriptionStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<PushSubscriptionStore> | PushSubscriptionStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: PushSubscriptionStore): Promise<PushSubscriptionStore> | PushSubscriptionStore;
  /** Stores a record the way the store did before devices had a language (no locale at all). */
  putWithoutLocale(store: PushSubscriptionStore, record: Omit<SubscriptionRecord, 'locale'>): Promise<void>;
}

function device(id: string, userId: string, changes: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    id,
    userId,
    sessionId: `s-${userId}`,
    endpoint: `https://push.example/${id}`,
    keys: { p256dh: 'p', auth: 'a' },
    createdAt: 1,
    locale: 'en',
    ...changes,
  };
}

export function pushSubscriptionStoreContract(name: string, subject: PushSubscriptionStoreUnderTest): void {
  describe(`${name} push device store`, () => {
    it('keeps a person’s devices, one record per device, the newest subscription winning', async () => {
      const devices = await subject.open();
      await devices.put(device('d1', 'u1'));
      await devices.put(device('d2', 'u1'));
      await devices.put(device('d3', 'u10'));
      await devices.put(device('d1', 'u1', { sessionId: 's-new', createdAt: 5 }));
      const other = await subject.sameStorage(devices);
      expect((await other.ofUser('u1')).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        device('d1', 'u1', { sessionId: 's-new', createdAt: 5 }),
        device('d2', 'u1'),
      ]);
      expect(await other.get('u1', 'd3')).toBeUndefined();
      expect(await other.get('u10', 'd3')).toEqual(device('d3', 'u10'));
      expect((await other.usersWithDevices()).sort()).toEqual(['u1', 'u10']);
    });

    it('moves a device to the person who subscribes it next, and forgets removed ones', async () => {
      const devices = await subject.open();
      await devices.put(device('d1', 'u1'));
      await devices.put(device('d1', 'u2'));
      const other = await subject.sameStorage(devices);
      expect(await other.ofUser('u1')).toEqual([]);
      expect((await other.ofUser('u2')).map((d) => d.id)).toEqual(['d1']);
      // Removing it for someone who no longer has it changes nothing.
      await devices.remove('u1', 'd1');
      expect((await other.ofUser('u2')).map((d) => d.id)).toEqual(['d1']);
      await devices.remove('u2', 'd1');
      expect(await other.ofUser('u2')).toEqual([]);
      expect(await other.usersWithDevices()).toEqual([]);
    });

    // Issue 16: pushes speak each device's language, remembered from the request that subscribed it.
    it('keeps each device’s language; subscribing again takes the new one; devices stored before it speak English', async () => {
      const devices = await subject.open();
      await devices.put(device('d1', 'u1', { locale: 'zh-CN' }));
      await devices.put(device('d2', 'u1'));
      const { locale: _, ...old } = device('d3', 'u1');
      await subject.putWithoutLocale(devices, old);
      const other = await subject.sameStorage(devices);
      const localeOf = async () => Object.fromEntries((await other.ofUser('u1')).map((record) => [record.id, record.locale]));
      expect(await localeOf()).toEqual({ d1: 'zh-CN', d2: 'en', d3: 'en' });
      expect((await other.get('u1', 'd3'))?.locale).toBe('en');
      await devices.put(device('d1', 'u1', { locale: 'en' }));
      await devices.put(device('d2', 'u1', { locale: 'zh-CN' }));
      expect(await localeOf()).toEqual({ d1: 'en', d2: 'zh-CN', d3: 'en' });
    });
  });
}
