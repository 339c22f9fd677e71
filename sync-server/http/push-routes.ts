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
    const record = await push.subscriptions.put(user.id, session.id, body, ctx.config.push.subscriptionsPerUser);
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
    res.json(await push.preferences.change(signedIn(res).user.id, body));
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
