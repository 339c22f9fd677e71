/**
 * Remembers who last signed in on this device, so the app can boot offline
 * as that person from their local documents.
 */
import type { Me } from '../../../shared/api.js';
import type { KeyValueStorage } from '../key-value-storage.js';

const LAST_ME_KEY = 'happy-chat:last-me';

export class LastSignedIn {
  constructor(private readonly storage: KeyValueStorage = localStorage) {}

  remember(me: Me): void {
    this.storage.setItem(LAST_ME_KEY, JSON.stringify({ id: me.id, name: me.name, email: me.email }));
  }

  /** The last signed-in person, or null if none (or the stored value is damaged). */
  lastMe(): Me | null {
    const raw = this.storage.getItem(LAST_ME_KEY);
    if (!raw) return null;
    try {
      const value: unknown = JSON.parse(raw);
      return isMe(value) ? value : null;
    } catch {
      return null;
    }
  }

  forget(): void {
    this.storage.removeItem(LAST_ME_KEY);
  }

  /** The key other tabs watch (`storage` event) to notice a sign-out. */
  static readonly key = LAST_ME_KEY;
}

export function isMe(value: unknown): value is Me {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && typeof record.name === 'string' && typeof record.email === 'string';
}
