/** `/api/sites/*`: a site owner's widget settings, in the app (cookie session). */
import { Router, type RequestHandler } from 'express';
import { SiteSettings, SiteTeamRequest, SiteUpdate } from '../../shared/widget.js';
import type { SiteService } from '../widget/site-service.js';
import type { VisitorService } from '../widget/visitor-service.js';
import { signedIn } from './require-session.js';
import { forMember, forMemberWithBody } from './member-route.js';

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

  router.post(
    '/sites',
    forMemberWithBody(SiteSettings, (me, body) => sites.create(me, body), 201),
  );

  router.patch(
    '/sites/:key',
    forMemberWithBody(SiteUpdate, (me, body, p) => sites.update(me, p.key, body)),
  );

  router.delete(
    '/sites/:key',
    forMember((me, p) => sites.remove(me, p.key)),
  );

  router.post(
    '/sites/:key/secret',
    forMember((me, p) => sites.rotateSecret(me, p.key)),
  );

  router.put(
    '/sites/:key/team',
    forMemberWithBody(SiteTeamRequest, (me, body, p) => sites.setTeam(me, p.key, body.userIds)),
  );

  router.post(
    '/sites/:key/visitors/:guestId/block',
    forMember((me, p) => visitors.block(me, p.key, p.guestId)),
  );

  /** Blocks the visitor of a widget conversation, from the conversation itself (the app's chat view). */
  router.post(
    '/conversations/:id/block-visitor',
    requireSession,
    forMember((me, p) => visitors.blockInConversation(me, p.id)),
  );

  return router;
}
