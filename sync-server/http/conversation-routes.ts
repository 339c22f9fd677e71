/** `/api/conversations`: start a direct conversation, list mine. */
import { Router } from 'express';
import { CreateConversationRequest, errorCodeOf } from '../../shared/api.js';
import type { ServerContext } from '../context.js';
import { sendError } from './errors.js';
import { requireSession, signedIn } from './require-session.js';

export function conversationRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use('/conversations', requireSession(ctx));

  router.post('/conversations', async (req, res) => {
    const parsed = CreateConversationRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const { user: me } = signedIn(res);
    const other = await ctx.users.byEmail(parsed.data.email);
    if (!other || !other.activated) return sendError(res, 404, 'user_not_found');
    if (other.id === me.id) return sendError(res, 400, 'cannot_chat_with_self');
    const id = await ctx.conversations.openDirect(me, other);
    res.status(201).json({ id });
  });

  router.get('/conversations', async (_req, res) => {
    res.json(await ctx.conversations.listFor(signedIn(res).user));
  });

  return router;
}
