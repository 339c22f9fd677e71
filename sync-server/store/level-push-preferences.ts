/**
 * Notification choices in LevelDB (push-preferences.ts), under the keys the
 * relay always used: `pushSettings` (user id → settings) and `pushMutes`
 * (`userId!conversationId` → true; a range read lists a person's).
 */
import type { PushSettingsChange } from '../../shared/push-api.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import type { Database } from './database.js';
import { KeyedLock } from './keyed-lock.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';
import { changedSettings, type PushPreferenceStore, type StoredPushSettings } from './push-preferences.js';

export class LevelPushPreferenceStore implements PushPreferenceStore {
  private readonly settings;
  private readonly mutes;
  /** A change reads, then writes: one at a time per person. */
  private readonly lock = new KeyedLock();

  constructor(db: Database) {
    this.settings = db.root.sublevel<string, StoredPushSettings>('pushSettings', { valueEncoding: 'json' });
    this.mutes = db.root.sublevel<string, true>('pushMutes', { valueEncoding: 'json' });
  }

  settingsOf(userId: string): Promise<StoredPushSettings | undefined> {
    return this.settings.get(userId);
  }

  changeSettings(userId: string, change: PushSettingsChange, locale: ServerLocale): Promise<StoredPushSettings> {
    return this.lock.run(userId, async () => {
      const next = changedSettings(await this.settings.get(userId), change, locale);
      await this.settings.put(userId, next);
      return next;
    });
  }

  async digestMinutes(): Promise<Map<string, number>> {
    const minutes = new Map<string, number>();
    for await (const [userId, stored] of this.settings.iterator()) {
      if (typeof stored.digestAfterMinutes === 'number') minutes.set(userId, stored.digestAfterMinutes);
    }
    return minutes;
  }

  async mutedOf(userId: string): Promise<string[]> {
    const prefix = keyPrefix(userId);
    return (await this.mutes.keys(prefixRange(prefix)).all()).map((key) => key.slice(prefix.length));
  }

  async isMuted(userId: string, conversationId: string): Promise<boolean> {
    return (await this.mutes.get(compositeKey(userId, conversationId))) === true;
  }

  async setMuted(userId: string, conversationId: string, muted: boolean): Promise<void> {
    if (muted) await this.mutes.put(compositeKey(userId, conversationId), true);
    else await this.mutes.del(compositeKey(userId, conversationId));
  }
}
