/** `/api/push/*` and `/api/conversations/:id/mute`: devices, notification settings, mutes (docs/PUSH.md). */
import { Router, type RequestHandler } from 'express';
import {
  conversationIdParam,
  MuteRequest,
  PushSettingsChange,
  PushSubscriptionRequest,
  PushUnsubscribeRequest,
} from '../../shared/push-api.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import { localeOfAcceptLanguage } from '../i18n/request-locale.js';
import { endpointAllowed, type PushConfig } from '../push/push-config.js';
import type { PushService } from '../push/push-service.js';
import { sendError } from './errors.js';
import { signedIn } from './require-session.js';
import { parseBody } from './respond.js';

export interface PushRouteParts {
  requireSession: RequestHandler;
  push: PushService;
  config: { push: PushConfig };
  conversations: ConversationService;
}

export function pushRoutes(ctx: PushRouteParts): Router {
  const router = Router();
  const push = ctx.push;

  router.get('/push/key', (_req, res) => {
    res.json({ publicKey: push.publicKey });
  });

  router.use('/push', ctx.requireSession);

  router.post('/push/subscriptions', async (req, res) => {
    const body = parseBody(res, PushSubscriptionRequest, req.body);
    if (!body) return;
    if (!endpointAllowed(body.endpoint, ctx.config.push.serviceHosts)) return sendError(res, 'push_endpoint_not_allowed');
    const { user, session } = signedIn(res);
    // Pushes go out with no request to read a language from: the device keeps the one it subscribed in (the app sends its own).
    const locale = localeOfAcceptLanguage(req.headers['accept-language']);
    const record = await push.subscriptions.put(user.id, session.id, body, ctx.config.push.subscriptionsPerUser, locale);
    res.status(201).json({ id: record.id });
  });

  router.delete('/push/subscriptions', async (req, res) => {
    const body = parseBody(res, PushUnsubscribeRequest, req.body);
    if (!body) return;
    const removed = await push.subscriptions.removeEndpoint(signedIn(res).user.id, body.endpoint);
    if (!removed) return sendError(res, 'not_found');
    res.status(204).end();
  });

  router.get('/push/settings', async (_req, res) => {
    res.json(await push.preferences.of(signedIn(res).user.id));
  });

  router.patch('/push/settings', async (req, res) => {
    const body = parseBody(res, PushSettingsChange, req.body);
    if (!body) return;
    // The digest mail is sent later, outside any request: it speaks the language of the last settings change.
    const locale = localeOfAcceptLanguage(req.headers['accept-language']);
    res.json(await push.preferences.change(signedIn(res).user.id, body, locale));
  });

  router.put('/conversations/:id/mute', ctx.requireSession, async (req, res) => {
    const id = conversationIdParam.safeParse(req.params.id);
    const body = parseBody(res, MuteRequest, req.body);
    if (!body) return;
    const userId = signedIn(res).user.id;
    if (!id.success || !(await ctx.conversations.isMember(id.data, userId))) return sendError(res, 'conversation_not_found');
    await push.preferences.setMuted(userId, id.data, body.muted);
    res.json({ muted: body.muted });
  });

  return router;
}
