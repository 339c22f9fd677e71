/**
 * Accounts: registration, activation, sign-in, sign-out and password reset.
 * The rules live here (what is rate limited, who may sign in, what a reset
 * ends, what an account needs before first use: `makeReady`);
 * `http/auth-routes.ts` only reads requests and sends answers. Refusals are
 * error codes (outcome.ts), never HTTP statuses.
 */
import type { Me, RegisterRequest } from '../../shared/api.js';
import { ACTIVATION_TOKEN_TTL_MS, PASSWORD_RESET_TOKEN_TTL_MS } from '../../shared/limits.js';
import { describeWeakPassword } from '../../shared/password-verdict.js';
import type { OneTimeTokens } from '../auth/one-time-tokens.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password.js';
import { generateId } from '../ids/random-ids.js';
import { passwordJudge } from './password-judge.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import type { SessionStore } from '../auth/session.js';
import type { Logger } from '../config.js';
import type { ServerLocale } from '../i18n/request-locale.js';
import { activationMail, passwordResetMail } from '../mail/templates.js';
import type { Mailer } from '../mail/mailer.js';
import { ok, rateLimited, refuse, type Outcome, type Refusal } from '../outcome.js';
import { syncProfile } from '../profiles/user-document.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { RobotConversations } from '../robot/robot-account.js';
import type { UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

export type AccountError =
  | 'rate_limited'
  | 'email_taken'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_credentials'
  | 'not_activated'
  | 'mail_unavailable'
  | 'password_too_weak';

export interface AccountServiceParts {
  users: UserStore;
  sessions: SessionStore;
  tokens: OneTimeTokens;
  mailer: Mailer;
  /** Writes the profile into the person's `user/<id>` document, wherever it is owned. */
  commands: DocumentCommands;
  robot: RobotConversations;
  /** What else a session leaves behind when it ends (its sockets, its push devices). */
  onSessionEnded: (userId: string, sessionId: string) => Promise<void>;
  limits: { register: RateLimiter; mailPerAddress: RateLimiter; loginPerAddress: RateLimiter; loginPerAccount: RateLimiter };
  /** Read at each use: a test server learns its port after it started. */
  publicUrl: () => string;
  log: Logger;
}

export class AccountService {
  /** Emails being registered right now: two concurrent sign-ups cannot both claim one. */
  private readonly registering = new Set<string>();

  constructor(private readonly parts: AccountServiceParts) {}

  /** `address`: where the request came from (registrations are limited per address). */
  /** `locale`: the request's language (sync-server/i18n/), which the activation mail is written in. */
  async register(
    request: RegisterRequest,
    address: string,
    locale: ServerLocale = 'en',
  ): Promise<Outcome<{ mailSent: boolean }, AccountError>> {
    const { users, limits, log } = this.parts;
    const limit = await limits.register.consume(address);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const { name, email, password } = request;
    const weak = await weakPasswordRefusal(password, [name, email]);
    if (weak) return weak;
    if (this.registering.has(email) || (await users.byEmail(email))) return refuse('email_taken');
    this.registering.add(email);
    try {
      const user: UserRecord = {
        id: generateId(),
        name,
        email,
        passwordHash: await hashPassword(password),
        activated: false,
        createdAt: Date.now(),
      };
      // Another process (a cluster) may have claimed the email since the check above: the store decides.
      if (!(await users.create(user))) return refuse('email_taken');
      await limits.mailPerAddress.consume(email);
      try {
        await this.sendActivation(user, locale, request.invite);
        return ok({ mailSent: true });
      } catch (error) {
        // The account exists; the person can ask for the mail again.
        log.error('sending the activation mail failed', { email, error: String(error) });
        return ok({ mailSent: false });
      }
    } finally {
      this.registering.delete(email);
    }
  }

  /**
   * Activates the account and signs the person in (issue 15): the link proved
   * they read the mailbox, as a password reset link does, so typing the email
   * and password again would prove nothing more.
   */
  async activate(token: string, locale: ServerLocale = 'en', device?: string): Promise<Outcome<{ me: Me; token: string }, AccountError>> {
    const { tokens, users, sessions } = this.parts;
    const check = await tokens.consume(token, 'activation');
    if (!check.ok) return refuse(check.error);
    const user = await users.byId(check.userId);
    // A deleted account's links open nothing.
    if (!user || user.deletedAt !== undefined) return refuse('invalid_token');
    if (!user.activated) {
      user.activated = true;
      await users.update(user);
      await this.makeReady(user, locale);
    }
    const session = await sessions.create(user.id, device);
    return ok({ me: meOf(user), token: session.token });
  }

  /** The same answer whether or not the account exists, so this cannot probe for accounts. */
  async resendActivation(email: string, locale: ServerLocale = 'en'): Promise<Outcome<null, AccountError>> {
    const limit = await this.parts.limits.mailPerAddress.consume(email);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const user = await this.parts.users.byEmail(email);
    if (!user || user.activated) return ok(null);
    return this.mailOrRefuse('resending the activation mail', email, () => this.sendActivation(user, locale));
  }

  /** The same answer whether or not the account exists, so this cannot probe for accounts. */
  async requestPasswordReset(email: string, locale: ServerLocale = 'en'): Promise<Outcome<null, AccountError>> {
    const { limits, users, tokens, mailer, publicUrl } = this.parts;
    const limit = await limits.mailPerAddress.consume(email);
    if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
    const user = await users.byEmail(email);
    if (!user?.activated || user.guestOf) return ok(null);
    const token = await tokens.issue(user.id, 'password-reset', PASSWORD_RESET_TOKEN_TTL_MS);
    const link = `${publicUrl()}/reset?token=${encodeURIComponent(token)}`;
    return this.mailOrRefuse('sending the password reset mail', email, () =>
      mailer.send(passwordResetMail(user.email, user.name, link, locale)),
    );
  }

  async resetPassword(token: string, password: string): Promise<Outcome<null, AccountError>> {
    const { tokens, users, sessions, limits } = this.parts;
    // Judged before the token is used up, so a refused password can be replaced in the same form.
    const holderId = await tokens.holder(token, 'password-reset');
    const holder = holderId === undefined ? undefined : await users.byId(holderId);
    const weak = await weakPasswordRefusal(password, holder ? [holder.name, holder.email] : []);
    if (weak) return weak;
    const check = await tokens.consume(token, 'password-reset');
    if (!check.ok) return refuse(check.error);
    const user = await users.byId(check.userId);
    if (!user || user.deletedAt !== undefined) return refuse('invalid_token');
    await users.update({ ...user, passwordHash: await hashPassword(password) });
    // Whoever knew the old password is signed out everywhere.
    for (const sessionId of await sessions.invalidateAllOf(user.id)) await this.parts.onSessionEnded(user.id, sessionId);
    await limits.loginPerAccount.reset(user.email);
    return ok(null);
  }

  /** A new session for the right password; `address`: where the attempt came from. */
  async signIn(
    email: string,
    password: string,
    address: string,
    locale: ServerLocale = 'en',
    /** What the person signs in with, for their list of sessions (auth/device-name.ts). */
    device?: string,
  ): Promise<Outcome<{ me: Me; token: string }, AccountError>> {
    const { limits, users, sessions } = this.parts;
    const addressLimit = await limits.loginPerAddress.consume(address);
    if (!addressLimit.allowed) return rateLimited(addressLimit.retryAfterSeconds);
    // The per-address limit above bounds the argon2 work anyone can cause. The
    // per-account limit counts failures only, and a right password passes it:
    // otherwise anyone could lock a person out by failing on their behalf.
    const found = await users.byEmail(email);
    const user = found?.deletedAt === undefined ? found : undefined;
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !passwordOk) {
      const accountLimit = await limits.loginPerAccount.consume(email);
      if (!accountLimit.allowed) return rateLimited(accountLimit.retryAfterSeconds);
      return refuse('invalid_credentials');
    }
    if (!user.activated) return refuse('not_activated');
    // No reset of the failure count here: a person signing in must not hand a guesser a fresh window.
    const { token } = await sessions.create(user.id, device);
    // Accounts made by the admin command have not written their profile or met the robot yet.
    await this.makeReady(user, locale);
    return ok({ me: meOf(user), token });
  }

  /** Ends the session behind a cookie token, if it is one. */
  async signOut(token: string): Promise<void> {
    const valid = await this.parts.sessions.validate(token);
    if (!valid) return;
    await this.parts.sessions.invalidate(valid.session.id);
    await this.parts.onSessionEnded(valid.user.id, valid.session.id);
  }

  /**
   * What an account needs before its person uses the app: their profile in
   * their `user/<id>` document and their conversation with the robot. Run on
   * activation and on every sign-in; both steps do nothing when done already.
   */
  private async makeReady(user: UserRecord, locale: ServerLocale): Promise<void> {
    await syncProfile(this.parts.commands, user);
    await this.parts.robot.ensureFor(user, locale);
  }

  /** `invite`: the group invite code the person signed up from, carried by the link so activation leads back to it. */
  private async sendActivation(user: UserRecord, locale: ServerLocale, invite?: string): Promise<void> {
    const token = await this.parts.tokens.issue(user.id, 'activation', ACTIVATION_TOKEN_TTL_MS);
    const join = invite === undefined ? '' : `&join=${encodeURIComponent(invite)}`;
    const link = `${this.parts.publicUrl()}/activate?token=${encodeURIComponent(token)}${join}`;
    await this.parts.mailer.send(activationMail(user.email, user.name, link, locale));
  }

  private async mailOrRefuse(what: string, email: string, send: () => Promise<void>): Promise<Outcome<null, AccountError>> {
    try {
      await send();
      return ok(null);
    } catch (error) {
      this.parts.log.error(`${what} failed`, { email, error: String(error) });
      return refuse('mail_unavailable');
    }
  }
}

export function meOf(user: UserRecord): Me {
  return { id: user.id, name: user.name, email: user.email };
}

/** A refusal naming what makes the password easy to guess, or undefined when it is strong enough. */
async function weakPasswordRefusal(password: string, personal: string[]): Promise<Refusal<'password_too_weak'> | undefined> {
  const verdict = await passwordJudge.judge(password, personal);
  return verdict.acceptable ? undefined : refuse('password_too_weak', describeWeakPassword(verdict));
}
