/** `/api/friends/*` and `/api/blocks/*`. */
import { Router, type RequestHandler } from 'express';
import { BlockRequest, FriendRequestRequest, RemarkRequest } from '../../shared/social-api.js';
import type { FriendService } from '../social/friend-service.js';
import { signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export interface FriendRouteParts {
  requireSession: RequestHandler;
  friends: FriendService;
}

export function friendRoutes({ requireSession, friends }: FriendRouteParts): Router {
  const router = Router();
  router.use(['/friends', '/blocks'], requireSession);

  router.get('/friends', async (_req, res) => {
    res.json(await friends.list(signedIn(res).user));
  });

  router.get('/friends/requests', async (_req, res) => {
    res.json(await friends.requestsOf(signedIn(res).user));
  });

  router.post('/friends/requests', async (req, res) => {
    const body = parseBody(res, FriendRequestRequest, req.body);
    if (body) respond(res, await friends.sendRequest(signedIn(res).user, body, body.note), 201);
  });

  router.post('/friends/requests/:id/accept', async (req, res) => {
    respond(res, await friends.accept(signedIn(res).user, req.params.id));
  });

  router.post('/friends/requests/:id/decline', async (req, res) => {
    respond(res, await friends.dismiss(signedIn(res).user, req.params.id));
  });

  router.delete('/friends/requests/:id', async (req, res) => {
    respond(res, await friends.dismiss(signedIn(res).user, req.params.id));
  });

  router.put('/friends/:id/remark', async (req, res) => {
    const body = parseBody(res, RemarkRequest, req.body);
    if (body) respond(res, await friends.setRemark(signedIn(res).user, req.params.id, body.remark));
  });

  router.delete('/friends/:id', async (req, res) => {
    respond(res, await friends.unfriend(signedIn(res).user, req.params.id));
  });

  /** The people I blocked, with their names so I can recognise whom to unblock. */
  router.get('/blocks', async (_req, res) => {
    res.json(await friends.blockedBy(signedIn(res).user));
  });

  router.post('/blocks', async (req, res) => {
    const body = parseBody(res, BlockRequest, req.body);
    if (body) respond(res, await friends.block(signedIn(res).user, body.userId));
  });

  router.delete('/blocks/:userId', async (req, res) => {
    respond(res, await friends.unblock(signedIn(res).user, req.params.userId));
  });

  return router;
}
