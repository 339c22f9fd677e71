/** `/api/friends/*` and `/api/blocks/*`. */
import { Router } from 'express';
import { BlockRequest, FriendRequestRequest, RemarkRequest } from '../../shared/social-api.js';
import type { ServerContext } from '../context.js';
import { personSummary } from '../social/user-documents.js';
import { sendRateLimited } from './errors.js';
import { requireSession, signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export function friendRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use(['/friends', '/blocks'], requireSession(ctx));

  router.get('/friends', async (_req, res) => {
    res.json(await ctx.friends.list(signedIn(res).user));
  });

  router.get('/friends/requests', async (_req, res) => {
    const me = signedIn(res).user;
    const requests = await ctx.friendStore.requestsOf(me.id);
    const view = async (personId: string) => {
      const person = await ctx.users.byId(personId);
      return person ? { id: person.id, name: person.name, avatar: person.avatar } : { id: personId, name: '' };
    };
    const incoming = [];
    const outgoing = [];
    for (const r of requests) {
      if (r.to === me.id) incoming.push({ id: r.id, from: await view(r.from), note: r.note, createdAt: r.createdAt });
      else outgoing.push({ id: r.id, to: await view(r.to), note: r.note, createdAt: r.createdAt });
    }
    res.json({ incoming, outgoing });
  });

  router.post('/friends/requests', async (req, res) => {
    const me = signedIn(res).user;
    const limit = ctx.limits.friendRequests.consume(me.id);
    if (!limit.allowed) return sendRateLimited(res, limit.retryAfterSeconds);
    const body = parseBody(res, FriendRequestRequest, req.body);
    if (!body) return;
    const target = body.email ? await ctx.users.byEmail(body.email) : await ctx.users.byId(body.userId ?? '');
    respond(res, await ctx.friends.sendRequest(me, target, body.note), 201);
  });

  router.post('/friends/requests/:id/accept', async (req, res) => {
    respond(res, await ctx.friends.accept(signedIn(res).user, req.params.id));
  });

  router.post('/friends/requests/:id/decline', async (req, res) => {
    respond(res, await ctx.friends.dismiss(signedIn(res).user, req.params.id));
  });

  router.delete('/friends/requests/:id', async (req, res) => {
    respond(res, await ctx.friends.dismiss(signedIn(res).user, req.params.id));
  });

  router.put('/friends/:id/remark', async (req, res) => {
    const body = parseBody(res, RemarkRequest, req.body);
    if (body) respond(res, await ctx.friends.setRemark(signedIn(res).user, req.params.id, body.remark));
  });

  router.delete('/friends/:id', async (req, res) => {
    respond(res, await ctx.friends.unfriend(signedIn(res).user, req.params.id));
  });

  /** The people I blocked, with their names so I can recognise whom to unblock. */
  router.get('/blocks', async (_req, res) => {
    const people = [];
    for (const id of await ctx.friendStore.blockedBy(signedIn(res).user.id)) {
      const user = await ctx.users.byId(id);
      if (user) people.push(personSummary(user));
    }
    res.json(people);
  });

  router.post('/blocks', async (req, res) => {
    const body = parseBody(res, BlockRequest, req.body);
    if (body) respond(res, await ctx.friends.block(signedIn(res).user, body.userId));
  });

  router.delete('/blocks/:userId', async (req, res) => {
    respond(res, await ctx.friends.unblock(signedIn(res).user, req.params.userId));
  });

  return router;
}
