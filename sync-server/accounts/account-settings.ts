/**
 * Account settings (issue 15): changing the password or the email address,
 * and seeing and ending one's own sessions. Every step acts only on the signed-in person's account
 * and sessions; the current password is asked for again before it changes,
 * so a session left open on someone else's screen cannot take the account over.
 * `http/account-routes.ts` reads requests and sends answers.
 */
import type { SessionList } from '../../shared/api.js';
import { EMAIL_CHANGE_TOKEN_TTL_MS, PASSWORD_RESET_TOKEN_TTL_MS } from '../../shared/limits.js';
import { describeWeakPassword } from '../../shared/password-verdict.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { OneTimeTokens } from '../auth/one-time-tokens.js';
import type { SessionStore } from '../auth/session.js';
import type { Logger } from '../config.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import type { Mailer } from '../mail/mailer.js';
import { emailChangedMail, emailChangeMail, passwordResetMail } from '../mail/templates.js';
import { generateSecretToken } from '../ids/random-ids.js';
import { passwordJudge } from './password-judge.js';
import { syncProfile } from '../profiles/user-document.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import { ok, rateLimited, refuse, type Outcome } from '../outcome.js';
import type { SessionRecord, UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

export type AccountSettingsError =
  | 'rate_limited'
  | 'wrong_password'
  | 'password_too_weak'
  | 'session_not_found'
  | 'email_taken'
  | 'mail_unavailable'
  | 'invalid_token'
  | 'token_expired';

/** How long the link mailed to the address an account left can move it back: a week, for someone who reads mail rarely. */
export const EMAIL_REVERT_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface AccountSettingsParts {
  users: UserStore;
  sessions: SessionStore;
  /** What else a session leaves behind when it ends (its sockets on every relay, its push devices). */
  onSessionEnded: (userId: string, sessionId: string) => Promise<void>;
  tokens: OneTimeTokens;
  mailer: Mailer;
  /** The profile in the person's `user/<id>` document follows a changed email. */
  commands: DocumentCommands;
  /** Failed current-password checks count with failed sign-ins: a stolen session must not become a password guesser. Mails count per address. */
  limits: { loginPerAccount: RateLimiter; mailPerAddress: RateLimiter };
  /** Read at each use: a test server learns its port after it started. */
  publicUrl: () => string;
  log: Logger;
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
    const { users } = this.parts;
    const wrong = await this.checkCurrentPassword(user, currentPassword);
    if (wrong) return wrong;
    const verdict = await passwordJudge.judge(password, [user.name, user.email]);
    if (!verdict.acceptable) return refuse('password_too_weak', describeWeakPassword(verdict));
    // Re-read: the profile may have changed since the session was validated.
    const current = (await users.byId(user.id)) ?? user;
    await users.update({ ...current, passwordHash: await hashPassword(password) });
    await this.endOthers(user.id, keep.id);
    return ok(null);
  }

  /**
   * Mails a confirmation link to `email`; the account keeps its address until
   * the link is used (confirmEmail), so a typo cannot lock the person out.
   */
  async requestEmailChange(
    user: UserRecord,
    currentPassword: string,
    email: string,
    locale: ServerLocale = 'en',
  ): Promise<Outcome<null, AccountSettingsError>> {
    const { users, tokens, mailer, limits, publicUrl, log } = this.parts;
    const wrong = await this.checkCurrentPassword(user, currentPassword);
    if (wrong) return wrong;
    if (email === user.email || (await users.byEmail(email))) return refuse('email_taken');
    const limit = await limits.mailPerAddress.consume(email);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const token = await tokens.issue(user.id, 'email-change', EMAIL_CHANGE_TOKEN_TTL_MS, email);
    const link = `${publicUrl()}/confirm-email?token=${encodeURIComponent(token)}`;
    try {
      await mailer.send(emailChangeMail(email, user.name, link, locale));
      return ok(null);
    } catch (error) {
      log.error('sending the email change mail failed', { email, error: String(error) });
      return refuse('mail_unavailable');
    }
  }

  /**
   * Uses the mailed link: the account moves to the new address (if no account
   * took it meanwhile), and the old address is told, with a link back (revertEmail).
   */
  async confirmEmail(token: string, locale: ServerLocale = 'en'): Promise<Outcome<{ email: string }, AccountSettingsError>> {
    const { tokens, users, commands } = this.parts;
    const check = await tokens.consume(token, 'email-change');
    if (!check.ok) return refuse(check.error);
    const before = await users.byId(check.userId);
    if (check.email === undefined || !before) return refuse('invalid_token');
    // A link asked for before the owner moved the account back was asked for by whoever had moved it away.
    if (before.emailRevertedAt !== undefined && check.expiresAt - EMAIL_CHANGE_TOKEN_TTL_MS <= before.emailRevertedAt) {
      return refuse('invalid_token');
    }
    if (!(await users.changeEmail(check.userId, check.email))) return refuse('email_taken');
    const user = (await users.byId(check.userId)) ?? { ...before, email: check.email };
    await syncProfile(commands, user);
    await this.tellAddressLeft(before.email, user, locale);
    return ok({ email: check.email });
  }

  /** Mails the address an account left a link that moves it back; a failed mail does not undo the change (the log says so). */
  private async tellAddressLeft(oldEmail: string, user: UserRecord, locale: ServerLocale) {
    const { tokens, mailer, publicUrl, log } = this.parts;
    const token = await tokens.issue(user.id, 'email-revert', EMAIL_REVERT_TOKEN_TTL_MS, oldEmail);
    const link = `${publicUrl()}/revert-email?token=${encodeURIComponent(token)}`;
    try {
      await mailer.send(emailChangedMail(oldEmail, user.name, user.email, link, locale));
    } catch (error) {
      log.error('telling the old address of an email change failed', { userId: user.id, error: String(error) });
    }
  }

  /**
   * Uses the link mailed to the address an account left: the account moves
   * back to it. Whoever moved it away knew the password, so the password is
   * replaced by one nobody knows, every session ends, and a link to choose a
   * new password goes to the restored address.
   */
  async revertEmail(token: string, locale: ServerLocale = 'en'): Promise<Outcome<{ email: string }, AccountSettingsError>> {
    const { tokens, users, commands, mailer, publicUrl, log } = this.parts;
    const check = await tokens.consume(token, 'email-revert');
    if (!check.ok) return refuse(check.error);
    if (check.email === undefined) return refuse('invalid_token');
    const current = await users.byId(check.userId);
    if (!current) return refuse('invalid_token');
    if (current.email !== check.email && !(await users.changeEmail(check.userId, check.email))) return refuse('email_taken');
    const user: UserRecord = {
      ...((await users.byId(check.userId)) ?? current),
      passwordHash: await hashPassword(generateSecretToken()),
      emailRevertedAt: Date.now(),
    };
    await users.update(user);
    await this.endOthers(user.id, '');
    await syncProfile(commands, user);
    const reset = await tokens.issue(user.id, 'password-reset', PASSWORD_RESET_TOKEN_TTL_MS);
    try {
      await mailer.send(passwordResetMail(user.email, user.name, `${publicUrl()}/reset?token=${encodeURIComponent(reset)}`, locale));
    } catch (error) {
      // "Forgot your password?" on the sign-in page sends another.
      log.error('mailing the password link after moving an account back failed', { userId: user.id, error: String(error) });
    }
    return ok({ email: user.email });
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

  /** A refusal when `currentPassword` is not the person's; failures count with failed sign-ins. */
  async checkCurrentPassword(user: UserRecord, currentPassword: string) {
    if (await verifyPassword(user.passwordHash, currentPassword)) return undefined;
    const limit = await this.parts.limits.loginPerAccount.consume(user.email);
    return limit.allowed ? refuse('wrong_password') : rateLimited(limit.retryAfterSeconds);
  }

  /** Ends every session of mine but `keep` (every one for ''); returns how many ended. */
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
