/** `/api/auth/*` and `GET /api/me`: reads the request, asks the account service, sends the answer. */
import { localeOfAcceptLanguage } from '../i18n/request-locale.js';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { LoginRequest, NewPasswordRequest, RegisterRequest, ResendRequest, ResetRequest, TokenRequest } from '../../shared/api.js';
import { deviceName } from '../auth/device-name.js';
import { meOf, type AccountError, type AccountService } from '../accounts/account-service.js';
import { ok, type Outcome } from '../outcome.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { sendError } from './errors.js';
import { signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export interface AuthRouteParts {
  accounts: AccountService;
  requireSession: RequestHandler;
  /** Cookies are `Secure` when the server is reached over https. */
  secure: boolean;
}

export function authRoutes({ accounts, requireSession, secure }: AuthRouteParts): Router {
  const router = Router();

  router.post('/auth/register', async (req, res) => {
    const body = parseBody(res, RegisterRequest, req.body);
    if (!body) return;
    const outcome = await accounts.register(body, clientAddress(req), localeOfAcceptLanguage(req.headers['accept-language']));
    respond(res, outcome.ok ? ok({ ok: true, mailSent: outcome.value.mailSent }) : outcome, 201);
  });

  router.post('/auth/activate', async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'invalid_token');
    const outcome = await accounts.activate(
      parsed.data.token,
      localeOfAcceptLanguage(req.headers['accept-language']),
      deviceName(req.headers['user-agent']),
    );
    // Activation signs the person in (account-service.ts says why).
    if (outcome.ok) setSessionCookie(res, outcome.value.token, secure);
    respond(res, outcome.ok ? ok(outcome.value.me) : outcome);
  });

  router.post('/auth/resend', async (req, res) => {
    const body = parseBody(res, ResendRequest, req.body);
    if (body) sendOk(res, await accounts.resendActivation(body.email, localeOfAcceptLanguage(req.headers['accept-language'])));
  });

  router.post('/auth/reset-request', async (req, res) => {
    const body = parseBody(res, ResetRequest, req.body);
    if (body) sendOk(res, await accounts.requestPasswordReset(body.email, localeOfAcceptLanguage(req.headers['accept-language'])));
  });

  router.post('/auth/reset', async (req, res) => {
    const body = parseBody(res, NewPasswordRequest, req.body);
    if (body) sendOk(res, await accounts.resetPassword(body.token, body.password));
  });

  router.post('/auth/login', async (req, res) => {
    const body = parseBody(res, LoginRequest, req.body);
    if (!body) return;
    const outcome = await accounts.signIn(
      body.email,
      body.password,
      clientAddress(req),
      localeOfAcceptLanguage(req.headers['accept-language']),
      deviceName(req.headers['user-agent']),
    );
    if (outcome.ok) setSessionCookie(res, outcome.value.token, secure);
    respond(res, outcome.ok ? ok(outcome.value.me) : outcome);
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await accounts.signOut(token);
    clearSessionCookie(res, secure);
    res.status(204).end();
  });

  router.get('/me', requireSession, (_req, res: Response) => {
    res.json(meOf(signedIn(res).user));
  });

  return router;
}

/** `200 {ok: true}` for a step done, or the refusal. */
function sendOk(res: Response, outcome: Outcome<null, AccountError>): void {
  respond(res, outcome.ok ? ok({ ok: true }) : outcome);
}

function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}
