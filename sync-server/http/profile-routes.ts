/** `/api/me` (editing), `/api/users/*` (search, profiles). */
import { Router, type RequestHandler } from 'express';
import { UpdateProfileRequest } from '../../shared/social-api.js';
import type { ProfileService } from '../profiles/profile-service.js';
import { sendError } from './errors.js';
import { signedIn } from './require-session.js';
import { parseBody } from './respond.js';

export interface ProfileRouteParts {
  requireSession: RequestHandler;
  profiles: ProfileService;
}

export function profileRoutes({ requireSession, profiles }: ProfileRouteParts): Router {
  const router = Router();
  router.use('/users', requireSession);

  router.patch('/me', requireSession, async (req, res) => {
    const body = parseBody(res, UpdateProfileRequest, req.body);
    if (!body) return;
    const updated = await profiles.update(signedIn(res).user, body);
    res.json({
      id: updated.id,
      name: updated.name,
      email: updated.email,
      bio: updated.bio,
      location: updated.location,
      avatar: updated.avatar,
    });
  });

  router.get('/users/search', async (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 254) : '';
    res.json(await profiles.search(signedIn(res).user, query));
  });

  router.get('/users/:id', async (req, res) => {
    const profile = await profiles.profileFor(signedIn(res).user, req.params.id);
    if (!profile) return sendError(res, 'user_not_found');
    res.json(profile);
  });

  return router;
}
