/** `/api/account/*` (account settings, issue 15): reads the request, asks AccountSettings, sends the answer. */
import { Router, type RequestHandler } from 'express';
import { ChangeEmailRequest, ChangePasswordRequest, DeleteAccountRequest, TokenRequest } from '../../shared/api.js';
import { localeOfAcceptLanguage } from '../i18n/request-locale.js';
import { sendError } from './errors.js';
import type { AccountDeletion } from '../accounts/account-deletion.js';
import type { AccountSettings } from '../accounts/account-settings.js';
import { clearSessionCookie } from './cookies.js';
import { ok } from '../outcome.js';
import { signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export interface AccountRouteParts {
  settings: AccountSettings;
  deletion: AccountDeletion;
  requireSession: RequestHandler;
  /** Whether the session cookie is `Secure` (https): clearing it must name the same attributes. */
  secureCookies: boolean;
}

export function accountRoutes({ settings, deletion, requireSession, secureCookies }: AccountRouteParts): Router {
  const router = Router();
  router.use('/account', requireSession);

  // No session needed: the mailed token proves the new mailbox, and was issued to a request that proved the password.
  router.post('/auth/confirm-email', async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'invalid_token');
    respond(res, await settings.confirmEmail(parsed.data.token, localeOfAcceptLanguage(req.headers['accept-language'])));
  });

  // No session needed: the token was mailed to the address the account left, and moving it back ends every session.
  router.post('/auth/revert-email', async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 'invalid_token');
    respond(res, await settings.revertEmail(parsed.data.token, localeOfAcceptLanguage(req.headers['accept-language'])));
  });

  router.post('/account/email', async (req, res) => {
    const body = parseBody(res, ChangeEmailRequest, req.body);
    if (!body) return;
    const locale = localeOfAcceptLanguage(req.headers['accept-language']);
    const outcome = await settings.requestEmailChange(signedIn(res).user, body.currentPassword, body.email, locale);
    respond(res, outcome.ok ? ok({ ok: true }) : outcome);
  });

  router.post('/account/password', async (req, res) => {
    const body = parseBody(res, ChangePasswordRequest, req.body);
    if (!body) return;
    const { user, session } = signedIn(res);
    const outcome = await settings.changePassword(user, session, body.currentPassword, body.password);
    respond(res, outcome.ok ? ok({ ok: true }) : outcome);
  });

  router.get('/account/sessions', async (_req, res) => {
    const { user, session } = signedIn(res);
    res.json(await settings.list(user.id, session.id));
  });

  router.post('/account/sessions/sign-out-others', async (_req, res) => {
    const { user, session } = signedIn(res);
    res.json({ ended: await settings.endOthers(user.id, session.id) });
  });

  router.post('/account/delete', async (req, res) => {
    const body = parseBody(res, DeleteAccountRequest, req.body);
    if (!body) return;
    const outcome = await deletion.delete(signedIn(res).user, body.currentPassword);
    if (!outcome.ok) return respond(res, outcome);
    clearSessionCookie(res, secureCookies);
    res.status(204).end();
  });

  router.delete('/account/sessions/:id', async (req, res) => {
    respond(res, await settings.end(signedIn(res).user.id, req.params.id));
  });

  return router;
}
