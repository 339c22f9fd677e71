/**
 * Sessions the Lucia way: the browser holds a random token, the store holds
 * its SHA-256 as the session id, with a sliding 30-day expiry.
 */
import { SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from '../../shared/limits.js';
import type { Database, SessionRecord, UserRecord } from '../store/database.js';
import { generateSecretToken, hashToken } from './random-token.js';

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
    await this.db.sessions.put(session.id, session);
    return { token, session };
  }

  /** Resolves a cookie token to its session and user, extending the session when it is old. */
  async validate(token: string): Promise<ValidSession | null> {
    const id = hashToken(token);
    const session = await this.db.sessions.get(id);
    if (!session) return null;
    const now = this.now();
    if (now >= session.expiresAt) {
      await this.db.sessions.del(id);
      return null;
    }
    const user = await this.db.users.get(session.userId);
    if (!user || !user.activated) return null;
    let renewed = false;
    if (session.expiresAt - now < SESSION_RENEW_WITHIN_MS) {
      session.expiresAt = now + SESSION_TTL_MS;
      await this.db.sessions.put(id, session);
      renewed = true;
    }
    return { session, user, renewed };
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.db.sessions.del(sessionId);
  }
}
