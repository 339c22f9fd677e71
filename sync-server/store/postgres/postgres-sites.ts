/** Sites that embed the widget, their visitors and visitors' token hashes in PostgreSQL (store/sites.ts; tables in migrations/017_sites.sql). */
import type pg from 'pg';
import type { SiteRecord } from '../database.js';
import type { SiteStore } from '../sites.js';

export class PostgresSiteStore implements SiteStore {
  constructor(private readonly pool: pg.Pool) {}

  async byKey(key: string): Promise<SiteRecord | undefined> {
    const { rows } = await this.pool.query<{ record: SiteRecord }>('SELECT record FROM sites WHERE key = $1', [key]);
    return rows[0]?.record;
  }

  async put(site: SiteRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO sites (key, owner_id, record) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET owner_id = excluded.owner_id, record = excluded.record',
      [site.key, site.ownerId, { ...site }],
    );
  }

  async remove(site: SiteRecord): Promise<void> {
    await this.pool.query('DELETE FROM sites WHERE key = $1', [site.key]);
  }

  async ofOwner(ownerId: string): Promise<SiteRecord[]> {
    const { rows } = await this.pool.query<{ record: SiteRecord }>('SELECT record FROM sites WHERE owner_id = $1 ORDER BY key', [ownerId]);
    return rows.map((row) => row.record);
  }

  async addVisitor(siteKey: string, guestId: string): Promise<void> {
    await this.pool.query('INSERT INTO site_visitors (site_key, guest_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [siteKey, guestId]);
  }

  async visitors(siteKey: string, limit = 10_000): Promise<string[]> {
    const { rows } = await this.pool.query<{ guest_id: string }>(
      'SELECT guest_id FROM site_visitors WHERE site_key = $1 ORDER BY guest_id LIMIT $2',
      [siteKey, limit],
    );
    return rows.map((row) => row.guest_id);
  }

  async guestOfToken(tokenHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ guest_id: string }>('SELECT guest_id FROM guest_tokens WHERE token_hash = $1', [tokenHash]);
    return rows[0]?.guest_id;
  }

  async putGuestToken(tokenHash: string, guestId: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO guest_tokens (token_hash, guest_id) VALUES ($1, $2) ON CONFLICT (token_hash) DO UPDATE SET guest_id = excluded.guest_id',
      [tokenHash, guestId],
    );
  }
}
