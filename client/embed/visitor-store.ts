/**
 * What the iframe remembers about its visitor, in its own localStorage
 * (which browsers partition by the host site): the token, the guest and
 * conversation ids, and the site's settings, so the chat opens offline.
 */
import type { PublicSiteConfig } from '../../shared/widget.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';

export interface StoredVisitor {
  token: string;
  guestId: string;
  guestName: string;
  conversationId: string;
  site: PublicSiteConfig;
  /** The site blocked this visitor; the token is kept so coming back does not make a new visitor. */
  blocked?: boolean;
  /** The last `set-user` the server accepted (JSON), so a reload does not send it again. */
  identified?: string;
}

const keyOf = (site: string) => `happy-chat:widget:v1:${site}`;

function isStoredVisitor(value: unknown): value is StoredVisitor {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['token', 'guestId', 'guestName', 'conversationId'].every((key) => typeof record[key] === 'string') &&
    typeof record.site === 'object' &&
    record.site !== null
  );
}

export class VisitorStore {
  constructor(private readonly storage: KeyValueStorage = localStorage) {}

  load(site: string): StoredVisitor | null {
    try {
      const value: unknown = JSON.parse(this.storage.getItem(keyOf(site)) ?? 'null');
      return isStoredVisitor(value) ? value : null;
    } catch {
      return null;
    }
  }

  save(site: string, visitor: StoredVisitor): void {
    this.storage.setItem(keyOf(site), JSON.stringify(visitor));
  }

  clear(site: string): void {
    this.storage.removeItem(keyOf(site));
  }
}
