/** `/api/sites/*`: a site owner's widget settings, in the app (cookie session). */
import { Router } from 'express';
import { SiteSettings, SiteTeamRequest, SiteUpdate } from '../../shared/widget.js';
import type { ServerContext } from '../context.js';
import { requireSession, signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export function siteRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use('/sites', requireSession(ctx));

  router.get('/sites', async (_req, res) => {
    res.json(await ctx.widget.sites.list(signedIn(res).user));
  });

  router.post('/sites', async (req, res) => {
    const body = parseBody(res, SiteSettings, req.body);
    if (body) respond(res, await ctx.widget.sites.create(signedIn(res).user, body), 201);
  });

  router.patch('/sites/:key', async (req, res) => {
    const body = parseBody(res, SiteUpdate, req.body);
    if (body) respond(res, await ctx.widget.sites.update(signedIn(res).user, req.params.key, body));
  });

  router.delete('/sites/:key', async (req, res) => {
    respond(res, await ctx.widget.sites.remove(signedIn(res).user, req.params.key));
  });

  router.post('/sites/:key/secret', async (req, res) => {
    respond(res, await ctx.widget.sites.rotateSecret(signedIn(res).user, req.params.key));
  });

  router.put('/sites/:key/team', async (req, res) => {
    const body = parseBody(res, SiteTeamRequest, req.body);
    if (body) respond(res, await ctx.widget.sites.setTeam(signedIn(res).user, req.params.key, body.userIds));
  });

  router.post('/sites/:key/visitors/:guestId/block', async (req, res) => {
    respond(res, await ctx.widget.visitors.block(signedIn(res).user, req.params.key, req.params.guestId));
  });

  /** Blocks the visitor of a widget conversation, from the conversation itself (the app's chat view). */
  router.post('/conversations/:id/block-visitor', requireSession(ctx), async (req, res) => {
    respond(res, await ctx.widget.visitors.blockInConversation(signedIn(res).user, String(req.params.id)));
  });

  return router;
}
