/**
 * A person's notification choices (push/push-preferences.ts holds the rules):
 * the settings (show the text or not, the mail digest and its language) and
 * which conversations they muted. `LevelPushPreferenceStore`
 * (level-push-preferences.ts) is the embedded one, `PostgresPushPreferenceStore`
 * (postgres/postgres-push-preferences.ts) the cluster's; both pass
 * push-preferences.contract.ts.
 */
import type { PushSettingsChange } from '../../shared/push-api.js';
import type { ServerLocale } from '../i18n/request-locale.js';

export interface StoredPushSettings {
  showContent: boolean;
  digestAfterMinutes?: number | null;
  /** Missing in settings stored before it: English. */
  locale?: ServerLocale;
}

export const DEFAULT_PUSH_SETTINGS: StoredPushSettings = { showContent: true, digestAfterMinutes: null };

export interface PushPreferenceStore {
  /**
   * How often a cache of who wants the digest should be re-read, because
   * other processes change settings too; undefined when this process is the
   * only writer.
   */
  readonly recheckMs?: number;
  settingsOf(userId: string): Promise<StoredPushSettings | undefined>;
  /**
   * Applies a change to the person's settings as one step (two relays
   * changing different settings at once both hold) and records the
   * language it was made in; returns the settings after it.
   */
  changeSettings(userId: string, change: PushSettingsChange, locale: ServerLocale): Promise<StoredPushSettings>;
  /** Everyone with the mail digest on: user id → minutes. */
  digestMinutes(): Promise<Map<string, number>>;
  /** The person's muted conversations, by id. */
  mutedOf(userId: string): Promise<string[]>;
  isMuted(userId: string, conversationId: string): Promise<boolean>;
  setMuted(userId: string, conversationId: string, muted: boolean): Promise<void>;
}

/** The settings after `change`, over what was stored (or the defaults). */
export function changedSettings(
  stored: StoredPushSettings | undefined,
  change: PushSettingsChange,
  locale: ServerLocale,
): StoredPushSettings {
  const next = { ...DEFAULT_PUSH_SETTINGS, ...stored, locale };
  if (change.showContent !== undefined) next.showContent = change.showContent;
  if (change.digestAfterMinutes !== undefined) next.digestAfterMinutes = change.digestAfterMinutes;
  return next;
}
