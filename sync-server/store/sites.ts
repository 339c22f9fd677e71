/**
 * Sites that embed the widget, their visitors, and the hashes of visitors'
 * tokens: the calls the services make of the store. `LevelSiteStore`
 * (level-sites.ts) is the embedded one, `PostgresSiteStore`
 * (postgres/postgres-sites.ts) the cluster's; both pass sites.contract.ts.
 */
import type { SiteRecord } from './database.js';

export interface SiteStore {
  byKey(key: string): Promise<SiteRecord | undefined>;
  /** Stores a new site or its changed settings (its owner never changes). */
  put(site: SiteRecord): Promise<void>;
  remove(site: SiteRecord): Promise<void>;
  ofOwner(ownerId: string): Promise<SiteRecord[]>;
  addVisitor(siteKey: string, guestId: string): Promise<void>;
  /** Guest ids of a site's visitors, at most `limit`. */
  visitors(siteKey: string, limit?: number): Promise<string[]>;
  /** The guest a visitor's token (by its hash) belongs to. */
  guestOfToken(tokenHash: string): Promise<string | undefined>;
  putGuestToken(tokenHash: string, guestId: string): Promise<void>;
}
