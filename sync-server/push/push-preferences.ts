/**
 * What a person chose about notifications, for all their devices: whether
 * pushes show the sender and text, and which conversations are muted.
 * Mutes are keyed `userId!conversationId` (a range read lists a person's).
 */
import type { PushSettings } from '../../shared/push-api.js';
import { KEY_SEPARATOR as SEP, type Database } from '../store/database.js';

interface StoredSettings {
  showContent: boolean;
}

const DEFAULT_SETTINGS: StoredSettings = { showContent: true };

export class PushPreferences {
  private readonly settings;
  private readonly mutes;

  constructor(db: Database) {
    this.settings = db.root.sublevel<string, StoredSettings>('pushSettings', { valueEncoding: 'json' });
    this.mutes = db.root.sublevel<string, true>('pushMutes', { valueEncoding: 'json' });
  }

  async of(userId: string): Promise<PushSettings> {
    const stored = (await this.settings.get(userId)) ?? DEFAULT_SETTINGS;
    const prefix = userId + SEP;
    const muted = (await this.mutes.keys({ gt: prefix, lt: prefix + '\xff' }).all()).map((key) => key.slice(prefix.length));
    return { showContent: stored.showContent, muted };
  }

  async showsContent(userId: string): Promise<boolean> {
    return ((await this.settings.get(userId)) ?? DEFAULT_SETTINGS).showContent;
  }

  async setShowContent(userId: string, showContent: boolean): Promise<void> {
    await this.settings.put(userId, { showContent });
  }

  async isMuted(userId: string, conversationId: string): Promise<boolean> {
    return (await this.mutes.get(userId + SEP + conversationId)) === true;
  }

  async setMuted(userId: string, conversationId: string, muted: boolean): Promise<void> {
    if (muted) await this.mutes.put(userId + SEP + conversationId, true);
    else await this.mutes.del(userId + SEP + conversationId);
  }
}
