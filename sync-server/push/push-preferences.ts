/**
 * What a person chose about notifications, for all their devices: whether
 * pushes show the sender and text, whether unread messages are mailed as a
 * digest, and which conversations are muted; kept in a PushPreferenceStore
 * (LevelDB, or PostgreSQL shared by every relay). Mutes and settings are read
 * from the store each time they decide something, so a mute set through one
 * relay holds on the next message any relay stores. Only who wants the
 * digest is also kept in memory, because the notifier asks it for every
 * member of every message without a read; in a cluster a change is told to
 * every relay over the cluster bus (Redis), which re-reads that person's
 * settings, and the whole memory is re-read every few seconds besides, for
 * what the bus lost while Redis was down (docs/SCALING.md, "What each
 * guarantee rests on"). The digest check itself asks the store. The settings also keep the language of the request that
 * last changed them: the digest mail, sent outside any request, speaks it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { PushSettings, PushSettingsChange } from '../../shared/push-api.js';
import type { BusChannel, BusSubscription, ClusterBus } from '../cluster/cluster-bus.js';
import type { Logger } from '../config.js';
import { storedLocale } from '../i18n/push-texts.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import { DEFAULT_PUSH_SETTINGS, type PushPreferenceStore } from '../store/push-preferences.js';

/** After a failed read of who wants the digest, how long before the next try. */
const STALE_RETRY_MS = 5000;

/** "This person's notification settings changed": every relay re-reads them. */
export const pushSettingsChannel: BusChannel<string> = {
  name: 'push-settings',
  encode(userId) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, userId);
    return encoding.toUint8Array(encoder);
  },
  decode(bytes) {
    try {
      const decoder = decoding.createDecoder(bytes);
      const userId = decoding.readVarString(decoder);
      return decoding.hasContent(decoder) || userId === '' ? null : userId;
    } catch {
      return null;
    }
  },
};

export interface PushPreferencesOptions {
  /** The cluster bus: changes are told to the other relays, theirs to this one. */
  bus?: ClusterBus | null;
  now?: () => number;
}

export class PushPreferences {
  /** user id → minutes, for everyone with the digest on. */
  private digests = new Map<string, number>();
  private refreshedAt = 0;
  private stale = false;
  private refreshing: Promise<void> | null = null;
  /** People re-read one by one while a whole re-read runs: their answer is newer than what it brings. */
  private rereadDuringRefresh = new Map<string, number | undefined>();
  private subscription: BusSubscription | undefined;
  private readonly rereadListeners = new Set<(userId: string) => void>();
  private readonly now: () => number;

  private constructor(
    private readonly store: PushPreferenceStore,
    private readonly log: Logger,
    private readonly bus: ClusterBus | null,
    now: (() => number) | undefined,
  ) {
    this.now = now ?? Date.now;
  }

  /**
   * Opens the choices, listens for changes made through other relays, and
   * learns who wants the digest (a store that cannot answer is logged and
   * asked again later).
   */
  static async open(store: PushPreferenceStore, log: Logger, options: PushPreferencesOptions = {}): Promise<PushPreferences> {
    const preferences = new PushPreferences(store, log, options.bus ?? null, options.now);
    // Subscribed before the first read: a change made in between is read again, not lost.
    preferences.subscription = await options.bus?.subscribe(pushSettingsChannel, (userId) => void preferences.reread(userId));
    await preferences.refresh();
    return preferences;
  }

  /** Stops listening to other relays. */
  async close(): Promise<void> {
    await this.subscription?.unsubscribe();
  }

  /** Calls `listener` each time a person's settings were re-read because a relay told of a change; returns the unsubscribe function (tests). */
  onReread(listener: (userId: string) => void): () => void {
    this.rereadListeners.add(listener);
    return () => this.rereadListeners.delete(listener);
  }

  async of(userId: string): Promise<PushSettings> {
    const [stored, muted] = await Promise.all([this.store.settingsOf(userId), this.store.mutedOf(userId)]);
    const settings = { ...DEFAULT_PUSH_SETTINGS, ...stored };
    return { showContent: settings.showContent, muted, digestAfterMinutes: settings.digestAfterMinutes ?? null };
  }

  async showsContent(userId: string): Promise<boolean> {
    return ((await this.store.settingsOf(userId)) ?? DEFAULT_PUSH_SETTINGS).showContent;
  }

  async change(userId: string, change: PushSettingsChange, locale: ServerLocale): Promise<PushSettings> {
    const stored = await this.store.changeSettings(userId, change, locale);
    this.remember(userId, typeof stored.digestAfterMinutes === 'number' ? stored.digestAfterMinutes : undefined);
    // The store has it: a lost message only leaves the other relays on their periodic re-read.
    this.bus?.publish(pushSettingsChannel, userId).catch((error: unknown) => {
      this.log.warn('could not tell the other relays of a notification settings change; they re-read within seconds', {
        error: String(error),
      });
    });
    return this.of(userId);
  }

  /** The language of the person's digest mail: that of their last settings change. */
  async localeOf(userId: string): Promise<ServerLocale> {
    return storedLocale((await this.store.settingsOf(userId))?.locale);
  }

  /**
   * Minutes after which the person's unread messages are mailed; undefined
   * when they want no mail. Answered from memory (see above); `digestAfter`
   * asks the store.
   */
  digestAfterNow(userId: string): number | undefined {
    const every = this.stale ? STALE_RETRY_MS : this.store.recheckMs;
    if (every !== undefined && this.now() - this.refreshedAt >= every) void this.refresh();
    return this.digests.get(userId);
  }

  /** Minutes after which the person's unread messages are mailed, as the store says now; undefined when they want no mail. */
  async digestAfter(userId: string): Promise<number | undefined> {
    const minutes = (await this.store.settingsOf(userId))?.digestAfterMinutes;
    return typeof minutes === 'number' ? minutes : undefined;
  }

  /** The conversations the person muted (the app badge leaves them out). */
  mutedOf(userId: string): Promise<string[]> {
    return this.store.mutedOf(userId);
  }

  isMuted(userId: string, conversationId: string): Promise<boolean> {
    return this.store.isMuted(userId, conversationId);
  }

  setMuted(userId: string, conversationId: string, muted: boolean): Promise<void> {
    return this.store.setMuted(userId, conversationId, muted);
  }

  private remember(userId: string, minutes: number | undefined): void {
    if (minutes === undefined) this.digests.delete(userId);
    else this.digests.set(userId, minutes);
    if (this.refreshing) this.rereadDuringRefresh.set(userId, minutes);
  }

  /** Another relay changed the person's settings: read them again. */
  private async reread(userId: string): Promise<void> {
    try {
      this.remember(userId, await this.digestAfter(userId));
      for (const listener of this.rereadListeners) listener(userId);
    } catch (error) {
      this.log.warn('re-reading changed notification settings failed; the periodic re-read will', { error: String(error) });
    }
  }

  /** Reads who wants the digest again (one read at a time); a failed read keeps the old answer until the next try. */
  private refresh(): Promise<void> {
    this.refreshedAt = this.now();
    if (this.refreshing) return this.refreshing;
    this.rereadDuringRefresh = new Map();
    this.refreshing = this.store
      .digestMinutes()
      .then(
        (minutes) => {
          for (const [userId, newer] of this.rereadDuringRefresh) {
            if (newer === undefined) minutes.delete(userId);
            else minutes.set(userId, newer);
          }
          this.digests = minutes;
          this.stale = false;
        },
        (error: unknown) => {
          if (!this.stale) this.log.error('reading who wants the mail digest failed; the last answer stands', { error: String(error) });
          this.stale = true;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
