/**
 * Sessions the Lucia way: the browser holds a random token, the store holds
 * its SHA-256 as the session id, with a sliding 30-day expiry.
 */
import { SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from '../../shared/limits.js';
import { KEY_SEPARATOR as SEP, type Database, type SessionRecord, type UserRecord } from '../store/database.js';
import { generateSecretToken, hashToken } from './random-token.js';
import { isStorageFailure } from '../store/store-health.js';

export interface ValidSession {
  session: SessionRecord;
  user: UserRecord;
  /** True when the expiry moved and the cookie should be sent again. */
  renewed: boolean;
}

export class SessionStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a session; returns the token for the cookie (never stored). */
  async create(userId: string): Promise<{ token: string; session: SessionRecord }> {
    const token = generateSecretToken();
    const session: SessionRecord = { id: hashToken(token), userId, expiresAt: this.now() + SESSION_TTL_MS };
    await this.db.root
      .batch()
      .put(session.id, session, { sublevel: this.db.sessions })
      .put(userId + SEP + session.id, true, { sublevel: this.db.userSessions })
      .write();
    return { token, session };
  }

  /** Resolves a cookie token to its session and user, extending the session when it is old. */
  async validate(token: string): Promise<ValidSession | null> {
    const id = hashToken(token);
    const session = await this.db.sessions.get(id);
    if (!session) return null;
    const now = this.now();
    if (now >= session.expiresAt) {
      // Expired either way; removing it can wait for a store that takes writes.
      await this.invalidate(id).catch((error: unknown) => this.skipWrite('removing an expired session', error));
      return null;
    }
    const user = await this.db.users.get(session.userId);
    if (!user || !user.activated) return null;
    let renewed = false;
    if (session.expiresAt - now < SESSION_RENEW_WITHIN_MS) {
      const renewedSession = { ...session, expiresAt: now + SESSION_TTL_MS };
      try {
        await this.db.sessions.put(id, renewedSession);
        session.expiresAt = renewedSession.expiresAt;
        renewed = true;
      } catch (error) {
        // A full disk must not sign people out: serve the request, renew on a later one.
        this.skipWrite('a session renewal', error);
      }
    }
    return { session, user, renewed };
  }

  /** A write that may be skipped when the store refuses writes; anything else is rethrown. */
  private skipWrite(what: string, error: unknown): void {
    if (!isStorageFailure(error)) throw error;
    this.db.health.noteSkippedWrite(what, error);
  }

  async invalidate(sessionId: string): Promise<void> {
    const session = await this.db.sessions.get(sessionId);
    const batch = this.db.root.batch().del(sessionId, { sublevel: this.db.sessions });
    if (session) batch.del(session.userId + SEP + sessionId, { sublevel: this.db.userSessions });
    await batch.write();
  }

  /** Ends every session of a person; returns their ids (so their sockets can be closed). */
  async invalidateAllOf(userId: string): Promise<string[]> {
    const prefix = userId + SEP;
    const ids = (await this.db.userSessions.keys({ gt: prefix, lt: prefix + '\xff' }).all()).map((key) => key.slice(prefix.length));
    for (const id of ids) await this.invalidate(id);
    return ids;
  }
}
