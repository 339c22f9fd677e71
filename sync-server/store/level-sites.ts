/** Sites that embed the widget in LevelDB (sites.ts): by key, `ownerId!siteKey` per owner, `siteKey!guestId` per site, and visitors' token hashes. */
import type { Database, SiteRecord } from './database.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';
import { indexedRecordsOf } from './owner-reads.js';
import type { SiteStore } from './sites.js';

export class LevelSiteStore implements SiteStore {
  constructor(private readonly db: Database) {}

  async byKey(key: string): Promise<SiteRecord | undefined> {
    return this.db.sites.get(key);
  }

  async put(site: SiteRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(site.key, site, { sublevel: this.db.sites })
      .put(compositeKey(site.ownerId, site.key), true, { sublevel: this.db.sitesOf })
      .write();
  }

  async remove(site: SiteRecord): Promise<void> {
    await this.db.root
      .batch()
      .del(site.key, { sublevel: this.db.sites })
      .del(compositeKey(site.ownerId, site.key), { sublevel: this.db.sitesOf })
      .write();
  }

  async ofOwner(ownerId: string): Promise<SiteRecord[]> {
    return indexedRecordsOf<SiteRecord>(this.db.sitesOf, this.db.sites, ownerId);
  }

  async addVisitor(siteKey: string, guestId: string): Promise<void> {
    await this.db.siteVisitors.put(compositeKey(siteKey, guestId), true);
  }

  async visitors(siteKey: string, limit = 10_000): Promise<string[]> {
    const prefix = keyPrefix(siteKey);
    const ids: string[] = [];
    for await (const key of this.db.siteVisitors.keys({ ...prefixRange(prefix), limit })) ids.push(key.slice(prefix.length));
    return ids;
  }

  async guestOfToken(tokenHash: string): Promise<string | undefined> {
    return this.db.guestTokens.get(tokenHash);
  }

  async putGuestToken(tokenHash: string, guestId: string): Promise<void> {
    await this.db.guestTokens.put(tokenHash, guestId);
  }
}
