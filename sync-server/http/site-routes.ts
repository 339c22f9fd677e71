/** `/api/sites/*`: a site owner's widget settings, in the app (cookie session). */
import { Router, type RequestHandler } from 'express';
import { SiteSettings, SiteTeamRequest, SiteUpdate } from '../../shared/widget.js';
import type { SiteService } from '../widget/site-service.js';
import type { VisitorService } from '../widget/visitor-service.js';
import { signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export interface SiteRouteParts {
  requireSession: RequestHandler;
  sites: SiteService;
  visitors: VisitorService;
}

export function siteRoutes({ requireSession, sites, visitors }: SiteRouteParts): Router {
  const router = Router();
  router.use('/sites', requireSession);

  router.get('/sites', async (_req, res) => {
    res.json(await sites.list(signedIn(res).user));
  });

  router.post('/sites', async (req, res) => {
    const body = parseBody(res, SiteSettings, req.body);
    if (body) respond(res, await sites.create(signedIn(res).user, body), 201);
  });

  router.patch('/sites/:key', async (req, res) => {
    const body = parseBody(res, SiteUpdate, req.body);
    if (body) respond(res, await sites.update(signedIn(res).user, req.params.key, body));
  });

  router.delete('/sites/:key', async (req, res) => {
    respond(res, await sites.remove(signedIn(res).user, req.params.key));
  });

  router.post('/sites/:key/secret', async (req, res) => {
    respond(res, await sites.rotateSecret(signedIn(res).user, req.params.key));
  });

  router.put('/sites/:key/team', async (req, res) => {
    const body = parseBody(res, SiteTeamRequest, req.body);
    if (body) respond(res, await sites.setTeam(signedIn(res).user, req.params.key, body.userIds));
  });

  router.post('/sites/:key/visitors/:guestId/block', async (req, res) => {
    respond(res, await visitors.block(signedIn(res).user, req.params.key, req.params.guestId));
  });

  /** Blocks the visitor of a widget conversation, from the conversation itself (the app's chat view). */
  router.post('/conversations/:id/block-visitor', requireSession, async (req, res) => {
    respond(res, await visitors.blockInConversation(signedIn(res).user, String(req.params.id)));
  });

  return router;
}
