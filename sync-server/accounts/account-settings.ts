/**
 * Account settings (issue 15): changing the password and seeing and ending
 * one's own sessions. Every step acts only on the signed-in person's account
 * and sessions; the current password is asked for again before it changes,
 * so a session left open on someone else's screen cannot take the account over.
 * `http/account-routes.ts` reads requests and sends answers.
 */
import type { SessionList } from '../../shared/api.js';
import { describeWeakPassword, judgePassword } from '../../shared/password-strength.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { SessionStore } from '../auth/session.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import { ok, rateLimited, refuse, type Outcome } from '../outcome.js';
import type { SessionRecord, UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

export type AccountSettingsError = 'rate_limited' | 'wrong_password' | 'password_too_weak' | 'session_not_found';

export interface AccountSettingsParts {
  users: UserStore;
  sessions: SessionStore;
  /** What else a session leaves behind when it ends (its sockets on every relay, its push devices). */
  onSessionEnded: (userId: string, sessionId: string) => Promise<void>;
  /** Failed current-password checks count with failed sign-ins: a stolen session must not become a password guesser. */
  limits: { loginPerAccount: RateLimiter };
}

export class AccountSettings {
  constructor(private readonly parts: AccountSettingsParts) {}

  /**
   * Sets a new password when `currentPassword` is right. Every other session
   * ends (whoever knew the old password is signed out); `keep`, the one that
   * asked, stays signed in.
   */
  async changePassword(
    user: UserRecord,
    keep: SessionRecord,
    currentPassword: string,
    password: string,
  ): Promise<Outcome<null, AccountSettingsError>> {
    const { users, limits } = this.parts;
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      const limit = await limits.loginPerAccount.consume(user.email);
      if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
      return refuse('wrong_password');
    }
    const verdict = judgePassword(password, [user.name, user.email]);
    if (!verdict.acceptable) return refuse('password_too_weak', describeWeakPassword(verdict));
    // Re-read: the profile may have changed since the session was validated.
    const current = (await users.byId(user.id)) ?? user;
    await users.update({ ...current, passwordHash: await hashPassword(password) });
    await this.endOthers(user.id, keep.id);
    return ok(null);
  }

  /** My live sessions, the most recently used first. */
  async list(userId: string, currentSessionId: string): Promise<SessionList> {
    const records = await this.parts.sessions.listOf(userId);
    const sessions = records.map((record) => ({
      id: record.id,
      device: record.device,
      createdAt: record.createdAt,
      lastUsedAt: record.lastUsedAt,
      current: record.id === currentSessionId,
    }));
    sessions.sort((a, b) => Number(b.current) - Number(a.current) || (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0));
    return { sessions };
  }

  /** Ends one of my sessions (this one too, if asked: that is signing out). Another person's session is "not found". */
  async end(userId: string, sessionId: string): Promise<Outcome<null, AccountSettingsError>> {
    const { sessions } = this.parts;
    const owned = (await sessions.listOf(userId)).some((record) => record.id === sessionId);
    if (!owned) return refuse('session_not_found');
    await sessions.invalidate(sessionId);
    await this.parts.onSessionEnded(userId, sessionId);
    return ok(null);
  }

  /** Ends every session of mine but `keep`; returns how many ended. */
  async endOthers(userId: string, keep: string): Promise<number> {
    const { sessions } = this.parts;
    const others = (await sessions.listOf(userId)).filter((record) => record.id !== keep);
    for (const record of others) {
      await sessions.invalidate(record.id);
      await this.parts.onSessionEnded(userId, record.id);
    }
    return others.length;
  }
}
