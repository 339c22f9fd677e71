/**
 * Sessions the Lucia way, with a sliding 30-day expiry. The browser holds
 * `<id>.<secret>`; the store holds the session under its id with the
 * SHA-256 of the secret (session-token.ts).
 *
 * Sessions from the old format (the store keyed by the SHA-256 of the whole
 * token) keep working: an old cookie is looked up the old way, and the first
 * HTTP request that brings it gets the same session re-issued as
 * `<old id>.<new secret>` (same id, so its push devices and sockets stay
 * attached). After that the old token is refused, but for a short grace
 * for requests the browser sent before the new cookie arrived.
 */
import { SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from '../../shared/limits.js';
import type { SessionRecord, UserRecord } from '../store/database.js';
import type { SessionRecordStore } from '../store/sessions.js';
import { isStorageFailure, type StoreHealth } from '../store/store-health.js';
import type { UserStore } from '../store/users.js';
import { newSessionToken, parseSessionToken, secretMatches, type ParsedSessionToken } from './session-token.js';

/**
 * How precisely a session's last use is kept: a use writes it only when the
 * one stored is older than this, so a busy session costs one write per step,
 * not one per request. The list of sessions says "last used" to this precision.
 */
export const SESSION_LAST_USE_STEP_MS = 5 * 60_000;

/** How long an old-format token still works after its session was re-issued: requests already on their way. */
export const LEGACY_TOKEN_GRACE_MS = 60_000;

export interface ValidSession {
  session: SessionRecord;
  user: UserRecord;
  /** True when the expiry moved and the cookie should be sent again. */
  renewed: boolean;
  /** When set, the cookie to send: the same token after a renewal, a new-format one after an old session was re-issued. */
  cookie?: string;
}

export interface ValidateOptions {
  /** Re-issue an old-format session in the new format. Only callers that can set the cookie (HTTP) ask for it; a socket upgrade cannot. */
  reissueLegacy?: boolean;
}

export interface SessionStoreOptions {
  /** The clock expiry is judged by: this process's (relays of a cluster keep theirs in step with NTP). */
  now?: () => number;
  /** The embedded store's health: a write that can wait (a renewal) is skipped while it refuses writes. */
  health?: Pick<StoreHealth, 'noteSkippedWrite'>;
}

export class SessionStore {
  private readonly now: () => number;
  private readonly health: Pick<StoreHealth, 'noteSkippedWrite'> | undefined;

  constructor(
    private readonly records: SessionRecordStore,
    private readonly users: UserStore,
    options: SessionStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.health = options.health;
  }

  /** Creates a session; returns the token for the cookie (never stored). `device`: what it was made on, for the person's list of sessions. */
  async create(userId: string, device?: string): Promise<{ token: string; session: SessionRecord }> {
    const { token, secretHash } = newSessionToken();
    const id = token.slice(0, token.indexOf('.'));
    const now = this.now();
    const session: SessionRecord = { id, secretHash, userId, expiresAt: now + SESSION_TTL_MS, createdAt: now, lastUsedAt: now };
    if (device) session.device = device;
    await this.records.create(session);
    return { token, session };
  }

  /** Resolves a cookie token to its session and user, extending the session when it is old. */
  async validate(token: string, options: ValidateOptions = {}): Promise<ValidSession | null> {
    const parsed = parseSessionToken(token);
    if (!parsed) return null;
    const session = await this.records.get(parsed.id);
    const now = this.now();
    if (!session || !this.proves(parsed, session, now)) return null;
    if (now >= session.expiresAt) {
      // Expired either way; removing it can wait for a store that takes writes.
      await this.invalidate(session.id).catch((error: unknown) => this.skipWrite('removing an expired session', error));
      return null;
    }
    const user = await this.users.byId(session.userId);
    if (!user?.activated) return null;
    if (parsed.format === 'legacy' && session.secretHash === undefined && options.reissueLegacy) {
      const reissued = await this.reissue(session, now);
      if (reissued) return { session: reissued.session, user, renewed: true, cookie: reissued.token };
    }
    const used = now - (session.lastUsedAt ?? 0) >= SESSION_LAST_USE_STEP_MS;
    if (session.expiresAt - now >= SESSION_RENEW_WITHIN_MS) {
      if (!used) return { session, user, renewed: false };
      // Noting the use can wait for a store that takes writes; it never brings back an ended session.
      const noted = await this.change(session.id, { lastUsedAt: now }, "noting a session's last use");
      return { session: noted ?? session, user, renewed: false };
    }
    // An old token whose session was re-issued meanwhile is not renewed: its cookie must not replace the new one.
    const stillOld = (current: SessionRecord) => parsed.format === 'id-secret' || current.secretHash === undefined;
    const renewed = await this.change(session.id, { expiresAt: now + SESSION_TTL_MS, lastUsedAt: now }, 'a session renewal', stillOld);
    return renewed ? { session: renewed, user, renewed: true, cookie: token } : { session, user, renewed: false };
  }

  /** Does the token prove this session? */
  private proves(token: ParsedSessionToken, session: SessionRecord, now: number): boolean {
    if (token.format === 'id-secret') return session.secretHash !== undefined && secretMatches(token.secret, session.secretHash);
    // The id is the SHA-256 of the token, so finding the session proved it; it counts while the session is still old-format.
    return session.secretHash === undefined || (session.legacyUntil !== undefined && now < session.legacyUntil);
  }

  /** Gives an old-format session a new-format token under the same id; null if another request just did, or the store refuses writes. */
  private async reissue(session: SessionRecord, now: number): Promise<{ token: string; session: SessionRecord } | null> {
    const { token, secretHash } = newSessionToken(session.id);
    const changed = await this.change(
      session.id,
      { secretHash, legacyUntil: now + LEGACY_TOKEN_GRACE_MS, expiresAt: now + SESSION_TTL_MS },
      're-issuing an old-format session',
      (current) => current.secretHash === undefined,
    );
    return changed ? { token, session: changed } : null;
  }

  /**
   * Writes `change` into the session as it is now (re-read atomically by the
   * store): never brings back an ended session nor undoes a concurrent change.
   * Returns the written record, or null when nothing was written.
   */
  private async change(
    id: string,
    change: Partial<SessionRecord>,
    what: string,
    stillWanted: (current: SessionRecord) => boolean = () => true,
  ): Promise<SessionRecord | null> {
    try {
      return await this.records.change(id, (current) => (stillWanted(current) ? { ...current, ...change } : null));
    } catch (error) {
      // A full disk must not sign people out: serve the request, write on a later one.
      this.skipWrite(what, error);
      return null;
    }
  }

  /** A write that may be skipped when the store refuses writes; anything else is rethrown. */
  private skipWrite(what: string, error: unknown): void {
    if (!this.health || !isStorageFailure(error)) throw error;
    this.health.noteSkippedWrite(what, error);
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.records.delete(sessionId);
  }

  /** Every live session of a person (expired ones are left for validate to remove). */
  async listOf(userId: string): Promise<SessionRecord[]> {
    const now = this.now();
    const records = await Promise.all((await this.records.idsOf(userId)).map((id) => this.records.get(id)));
    return records.filter((record): record is SessionRecord => record !== undefined && now < record.expiresAt);
  }

  /** Ends every session of a person; returns their ids (so their sockets can be closed). */
  async invalidateAllOf(userId: string): Promise<string[]> {
    const ids = await this.records.idsOf(userId);
    for (const id of ids) await this.invalidate(id);
    return ids;
  }
}
