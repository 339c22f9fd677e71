/** `/api/me` (editing), `/api/users/*` (search, profiles). */
import { Router } from 'express';
import { UpdateProfileRequest } from '../../shared/social-api.js';
import type { ServerContext } from '../context.js';
import { sendError } from './errors.js';
import { requireSession, signedIn } from './require-session.js';
import { parseBody } from './respond.js';

export function profileRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use('/users', requireSession(ctx));

  router.patch('/me', requireSession(ctx), async (req, res) => {
    const body = parseBody(res, UpdateProfileRequest, req.body);
    if (!body) return;
    const updated = await ctx.profiles.update(signedIn(res).user, body);
    res.json({ id: updated.id, name: updated.name, email: updated.email, bio: updated.bio, location: updated.location, avatar: updated.avatar });
  });

  router.get('/users/search', async (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 254) : '';
    res.json(await ctx.profiles.search(signedIn(res).user, query));
  });

  router.get('/users/:id', async (req, res) => {
    const profile = await ctx.profiles.profileFor(signedIn(res).user, req.params.id);
    if (!profile) return sendError(res, 404, 'user_not_found');
    res.json(profile);
  });

  return router;
}
