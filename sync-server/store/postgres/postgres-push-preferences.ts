/**
 * Notification choices in PostgreSQL (store/push-preferences.ts; tables in
 * migrations/024_push_preferences.sql). A change is one upsert that names
 * only the settings it changes, so two relays changing different settings
 * of one person at once both hold.
 */
import type pg from 'pg';
import type { PushSettingsChange } from '../../../shared/push-api.js';
import { storedLocale } from '../../i18n/push-texts.js';
import type { ServerLocale } from '../../i18n/request-locale.js';
import { DEFAULT_PUSH_SETTINGS, type PushPreferenceStore, type StoredPushSettings } from '../push-preferences.js';

interface SettingsRow {
  show_content: boolean;
  digest_after_minutes: number | null;
  locale: string | null;
}

function settingsOf(row: SettingsRow): StoredPushSettings {
  const settings: StoredPushSettings = { showContent: row.show_content, digestAfterMinutes: row.digest_after_minutes };
  if (row.locale !== null) settings.locale = storedLocale(row.locale);
  return settings;
}

export class PostgresPushPreferenceStore implements PushPreferenceStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Settings change through every relay: a relay's memory of who wants the digest is re-read this often. */
    readonly recheckMs = 5_000,
  ) {}

  async settingsOf(userId: string): Promise<StoredPushSettings | undefined> {
    const { rows } = await this.pool.query<SettingsRow>(
      'SELECT show_content, digest_after_minutes, locale FROM push_settings WHERE user_id = $1',
      [userId],
    );
    return rows[0] && settingsOf(rows[0]);
  }

  async changeSettings(userId: string, change: PushSettingsChange, locale: ServerLocale): Promise<StoredPushSettings> {
    const digestGiven = change.digestAfterMinutes !== undefined;
    const { rows } = await this.pool.query<SettingsRow>(
      `INSERT INTO push_settings (user_id, show_content, digest_after_minutes, locale) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET
         show_content = COALESCE($5, push_settings.show_content),
         digest_after_minutes = CASE WHEN $6 THEN excluded.digest_after_minutes ELSE push_settings.digest_after_minutes END,
         locale = excluded.locale
       RETURNING show_content, digest_after_minutes, locale`,
      [
        userId,
        change.showContent ?? DEFAULT_PUSH_SETTINGS.showContent,
        digestGiven ? change.digestAfterMinutes : null,
        locale,
        change.showContent ?? null,
        digestGiven,
      ],
    );
    return settingsOf(rows[0]);
  }

  async digestMinutes(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ user_id: string; digest_after_minutes: number }>(
      'SELECT user_id, digest_after_minutes FROM push_settings WHERE digest_after_minutes IS NOT NULL',
    );
    return new Map(rows.map((row) => [row.user_id, row.digest_after_minutes]));
  }

  async mutedOf(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      'SELECT conversation_id FROM push_mutes WHERE user_id = $1 ORDER BY conversation_id',
      [userId],
    );
    return rows.map((row) => row.conversation_id);
  }

  async isMuted(userId: string, conversationId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM push_mutes WHERE user_id = $1 AND conversation_id = $2', [
      userId,
      conversationId,
    ]);
    return rowCount === 1;
  }

  async setMuted(userId: string, conversationId: string, muted: boolean): Promise<void> {
    if (muted) {
      await this.pool.query('INSERT INTO push_mutes (user_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        userId,
        conversationId,
      ]);
    } else {
      await this.pool.query('DELETE FROM push_mutes WHERE user_id = $1 AND conversation_id = $2', [userId, conversationId]);
    }
  }
}
