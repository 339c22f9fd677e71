/** `/api/auth/*` and `/api/me`: registration, activation, sign-in, sign-out. */
import { Router, type Request, type Response } from 'express';
import { LoginRequest, NewPasswordRequest, RegisterRequest, ResendRequest, ResetRequest, TokenRequest, errorCodeOf, type Me } from '../../shared/api.js';
import { ACTIVATION_TOKEN_TTL_MS, PASSWORD_RESET_TOKEN_TTL_MS } from '../../shared/limits.js';
import { syncProfile } from '../profiles/user-document.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password.js';
import { generateId } from '../auth/random-token.js';
import type { ServerContext } from '../context.js';
import { activationMail, passwordResetMail } from '../mail/templates.js';
import type { UserRecord } from '../store/database.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { sendError, sendRateLimited } from './errors.js';
import { requireSession, signedIn } from './require-session.js';

export function authRoutes(ctx: ServerContext): Router {
  const router = Router();
  const secure = ctx.config.publicUrl.startsWith('https:');
  /** Emails being registered right now: two concurrent sign-ups cannot both claim one. */
  const registering = new Set<string>();

  async function sendActivation(user: UserRecord): Promise<void> {
    const token = await ctx.tokens.issue(user.id, 'activation', ACTIVATION_TOKEN_TTL_MS);
    const link = `${ctx.config.publicUrl}/activate?token=${encodeURIComponent(token)}`;
    await ctx.mailer.send(activationMail(user.email, user.name, link));
  }

  router.post('/auth/register', async (req, res) => {
    const limit = ctx.limits.register.consume(clientAddress(req));
    if (!limit.allowed) return sendRateLimited(res, limit.retryAfterSeconds);
    const parsed = RegisterRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const { name, email, password } = parsed.data;
    if (registering.has(email) || (await ctx.users.byEmail(email))) return sendError(res, 409, 'email_taken');
    registering.add(email);
    try {
      const user: UserRecord = {
        id: generateId(),
        name,
        email,
        passwordHash: await hashPassword(password),
        activated: false,
        createdAt: Date.now(),
      };
      await ctx.users.create(user);
      ctx.limits.mailPerAddress.consume(email);
      try {
        await sendActivation(user);
      } catch (error) {
        // The account exists; the person can ask for the mail again.
        ctx.config.log.error('sending the activation mail failed', { email, error: String(error) });
        res.status(201).json({ ok: true, mailSent: false });
        return;
      }
      res.status(201).json({ ok: true, mailSent: true });
    } finally {
      registering.delete(email);
    }
  });

  router.post('/auth/activate', async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, 'invalid_token');
    const check = await ctx.tokens.consume(parsed.data.token, 'activation');
    if (!check.ok) return sendError(res, check.error === 'token_expired' ? 410 : 400, check.error);
    const user = await ctx.users.byId(check.userId);
    if (!user) return sendError(res, 400, 'invalid_token');
    if (!user.activated) {
      user.activated = true;
      await ctx.users.update(user);
      await syncProfile(ctx.registry, user);
      await ctx.robot.conversations.ensureFor(user);
    }
    res.json({ ok: true });
  });

  router.post('/auth/resend', async (req, res) => {
    const parsed = ResendRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const { email } = parsed.data;
    const limit = ctx.limits.mailPerAddress.consume(email);
    if (!limit.allowed) return sendRateLimited(res, limit.retryAfterSeconds);
    const user = await ctx.users.byEmail(email);
    // The same answer whether or not the account exists, so this cannot probe for accounts.
    if (user && !user.activated) {
      try {
        await sendActivation(user);
      } catch (error) {
        ctx.config.log.error('resending the activation mail failed', { email, error: String(error) });
        return sendError(res, 503, 'internal_error', 'The mail could not be sent. Please try again later.');
      }
    }
    res.json({ ok: true });
  });

  router.post('/auth/reset-request', async (req, res) => {
    const parsed = ResetRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const { email } = parsed.data;
    const limit = ctx.limits.mailPerAddress.consume(email);
    if (!limit.allowed) return sendRateLimited(res, limit.retryAfterSeconds);
    const user = await ctx.users.byEmail(email);
    // The same answer whether or not the account exists, so this cannot probe for accounts.
    if (user && user.activated && !user.guestOf) {
      const token = await ctx.tokens.issue(user.id, 'password-reset', PASSWORD_RESET_TOKEN_TTL_MS);
      const link = `${ctx.config.publicUrl}/reset?token=${encodeURIComponent(token)}`;
      try {
        await ctx.mailer.send(passwordResetMail(user.email, user.name, link));
      } catch (error) {
        ctx.config.log.error('sending the password reset mail failed', { email, error: String(error) });
        return sendError(res, 503, 'internal_error', 'The mail could not be sent. Please try again later.');
      }
    }
    res.json({ ok: true });
  });

  router.post('/auth/reset', async (req, res) => {
    const parsed = NewPasswordRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const check = await ctx.tokens.consume(parsed.data.token, 'password-reset');
    if (!check.ok) return sendError(res, check.error === 'token_expired' ? 410 : 400, check.error);
    const user = await ctx.users.byId(check.userId);
    if (!user) return sendError(res, 400, 'invalid_token');
    await ctx.users.update({ ...user, passwordHash: await hashPassword(parsed.data.password) });
    // Whoever knew the old password is signed out everywhere.
    for (const sessionId of await ctx.sessions.invalidateAllOf(user.id)) ctx.relay.closeSession(sessionId);
    ctx.limits.loginPerAccount.reset(user.email);
    res.json({ ok: true });
  });

  router.post('/auth/login', async (req, res) => {
    const addressLimit = ctx.limits.loginPerAddress.consume(clientAddress(req));
    if (!addressLimit.allowed) return sendRateLimited(res, addressLimit.retryAfterSeconds);
    const parsed = LoginRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const { email, password } = parsed.data;
    // The per-address limit above bounds the argon2 work anyone can cause. The
    // per-account limit counts failures only, and a right password passes it:
    // otherwise anyone could lock a person out by failing on their behalf.
    const user = await ctx.users.byEmail(email);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !passwordOk) {
      const accountLimit = ctx.limits.loginPerAccount.consume(email);
      if (!accountLimit.allowed) return sendRateLimited(res, accountLimit.retryAfterSeconds);
      return sendError(res, 401, 'invalid_credentials');
    }
    if (!user.activated) return sendError(res, 403, 'not_activated');
    // No reset of the failure count here: a person signing in must not hand a guesser a fresh window.
    const { token } = await ctx.sessions.create(user.id);
    // Accounts made by the admin command have not written their profile or met the robot yet.
    await syncProfile(ctx.registry, user);
    await ctx.robot.conversations.ensureFor(user);
    setSessionCookie(res, token, secure);
    res.json(meOf(user));
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) {
      const valid = await ctx.sessions.validate(token);
      if (valid) {
        await ctx.sessions.invalidate(valid.session.id);
        // This device must not show the next person's (or anyone's) messages after sign-out.
        await ctx.push.subscriptions.removeSession(valid.user.id, valid.session.id);
        ctx.relay.closeSession(valid.session.id);
      }
    }
    clearSessionCookie(res, secure);
    res.status(204).end();
  });

  router.get('/me', requireSession(ctx), (_req, res: Response) => {
    res.json(meOf(signedIn(res).user));
  });

  return router;
}

function meOf(user: UserRecord): Me {
  return { id: user.id, name: user.name, email: user.email };
}

function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}
