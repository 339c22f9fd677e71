/**
 * What a person chose about notifications, for all their devices: whether
 * pushes show the sender and text, whether unread messages are mailed as a
 * digest, and which conversations are muted. Mutes are keyed
 * `userId!conversationId` (a range read lists a person's). Who wants the
 * digest is also kept in memory, so the notifier asks without a read. The
 * settings also keep the language of the request that last changed them:
 * the digest mail, sent outside any request, speaks it.
 */
import type { PushSettings, PushSettingsChange } from '../../shared/push-api.js';
import { storedLocale } from '../i18n/push-texts.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

interface StoredSettings {
  showContent: boolean;
  digestAfterMinutes?: number | null;
  /** Missing in settings stored before it: English. */
  locale?: ServerLocale;
}

const DEFAULT_SETTINGS: StoredSettings = { showContent: true, digestAfterMinutes: null };

export class PushPreferences {
  private readonly settings;
  private readonly mutes;
  /** user id → minutes, for everyone with the digest on. */
  private readonly digests = new Map<string, number>();

  private constructor(db: Database) {
    this.settings = db.root.sublevel<string, StoredSettings>('pushSettings', { valueEncoding: 'json' });
    this.mutes = db.root.sublevel<string, true>('pushMutes', { valueEncoding: 'json' });
  }

  static async open(db: Database): Promise<PushPreferences> {
    const preferences = new PushPreferences(db);
    for await (const [userId, stored] of preferences.settings.iterator()) {
      if (typeof stored.digestAfterMinutes === 'number') preferences.digests.set(userId, stored.digestAfterMinutes);
    }
    return preferences;
  }

  async of(userId: string): Promise<PushSettings> {
    const stored = { ...DEFAULT_SETTINGS, ...(await this.settings.get(userId)) };
    const prefix = keyPrefix(userId);
    const muted = (await this.mutes.keys(prefixRange(prefix)).all()).map((key) => key.slice(prefix.length));
    return { showContent: stored.showContent, muted, digestAfterMinutes: stored.digestAfterMinutes ?? null };
  }

  async showsContent(userId: string): Promise<boolean> {
    return ((await this.settings.get(userId)) ?? DEFAULT_SETTINGS).showContent;
  }

  async change(userId: string, change: PushSettingsChange, locale: ServerLocale): Promise<PushSettings> {
    const stored = { ...DEFAULT_SETTINGS, ...(await this.settings.get(userId)), locale };
    if (change.showContent !== undefined) stored.showContent = change.showContent;
    if (change.digestAfterMinutes !== undefined) stored.digestAfterMinutes = change.digestAfterMinutes;
    await this.settings.put(userId, stored);
    if (typeof stored.digestAfterMinutes === 'number') this.digests.set(userId, stored.digestAfterMinutes);
    else this.digests.delete(userId);
    return this.of(userId);
  }

  /** The language of the person's digest mail: that of their last settings change. */
  async localeOf(userId: string): Promise<ServerLocale> {
    return storedLocale((await this.settings.get(userId))?.locale);
  }

  /** Minutes after which the person's unread messages are mailed; undefined when they want no mail. */
  digestAfterNow(userId: string): number | undefined {
    return this.digests.get(userId);
  }

  async isMuted(userId: string, conversationId: string): Promise<boolean> {
    return (await this.mutes.get(compositeKey(userId, conversationId))) === true;
  }

  async setMuted(userId: string, conversationId: string, muted: boolean): Promise<void> {
    if (muted) await this.mutes.put(compositeKey(userId, conversationId), true);
    else await this.mutes.del(compositeKey(userId, conversationId));
  }
}
