/** `/api/presence`: my friends' online state and last seen, as I may see them, and who may see mine (docs/API.md, "Presence"). */
import { Router, type RequestHandler } from 'express';
import { LastSeenSettingRequest } from '../../shared/presence-api.js';
import type { PresenceService } from '../presence/presence-service.js';
import { signedIn } from './require-session.js';
import { parseBody } from './respond.js';

export interface PresenceRouteParts {
  requireSession: RequestHandler;
  presence: PresenceService;
}

export function presenceRoutes({ requireSession, presence }: PresenceRouteParts): Router {
  const router = Router();
  router.use('/presence', requireSession);

  router.get('/presence', async (_req, res) => {
    // Presence changes by the second: no cache may answer for the server.
    res.set('Cache-Control', 'no-store');
    res.json(await presence.presenceFor(signedIn(res).user.id));
  });

  router.put('/presence/settings', async (req, res) => {
    const body = parseBody(res, LastSeenSettingRequest, req.body);
    if (!body) return;
    res.json({ lastSeen: await presence.setLastSeenAudience(signedIn(res).user.id, body.lastSeen) });
  });

  return router;
}
