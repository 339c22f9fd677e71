/**
 * The one test suite every site store passes (sites.ts). Call
 * `siteStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { SiteRecord } from './database.js';
import type { SiteStore } from './sites.js';

export interface SiteStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<SiteStore> | SiteStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: SiteStore): Promise<SiteStore> | SiteStore;
}

function site(key: string, ownerId = 'u1', changes: Partial<SiteRecord> = {}): SiteRecord {
  return {
    key,
    ownerId,
    name: `Site ${key}`,
    origins: ['https://example.com'],
    greeting: 'Hello',
    color: '#336699',
    position: 'right',
    secret: 's'.repeat(64),
    team: ['u2'],
    createdAt: 1,
    ...changes,
  };
}

export function siteStoreContract(name: string, subject: SiteStoreUnderTest): void {
  describe(`${name} site store`, () => {
    it('keeps sites by key and lists them per owner, with their changed settings, until removed', async () => {
      const sites = await subject.open();
      await sites.put(site('k1'));
      await sites.put(site('k2'));
      await sites.put(site('k3', 'u10'));
      await sites.put(site('k1', 'u1', { greeting: 'Welcome', team: [] }));
      const other = await subject.sameStorage(sites);
      expect(await other.byKey('k1')).toEqual(site('k1', 'u1', { greeting: 'Welcome', team: [] }));
      expect(await other.byKey('none')).toBeUndefined();
      expect((await other.ofOwner('u1')).map((s) => s.key).sort()).toEqual(['k1', 'k2']);
      expect((await other.ofOwner('u10')).map((s) => s.key)).toEqual(['k3']);
      await sites.remove(site('k1'));
      expect(await other.byKey('k1')).toBeUndefined();
      expect((await other.ofOwner('u1')).map((s) => s.key)).toEqual(['k2']);
    });

    it('lists a site’s visitors once each, up to a limit, apart from a site whose key starts the same', async () => {
      const sites = await subject.open();
      for (const guest of ['v1', 'v2', 'v3', 'v1']) await sites.addVisitor('k1', guest);
      await sites.addVisitor('k10', 'v9');
      const other = await subject.sameStorage(sites);
      expect((await other.visitors('k1')).sort()).toEqual(['v1', 'v2', 'v3']);
      expect(await other.visitors('k1', 2)).toHaveLength(2);
      expect(await other.visitors('k10')).toEqual(['v9']);
    });

    it('finds a visitor’s guest account by the hash of their token', async () => {
      const sites = await subject.open();
      await sites.putGuestToken('h1', 'v1');
      const other = await subject.sameStorage(sites);
      expect(await other.guestOfToken('h1')).toBe('v1');
      expect(await other.guestOfToken('h2')).toBeUndefined();
    });
  });
}
