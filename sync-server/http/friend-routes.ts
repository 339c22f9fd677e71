/** `/api/friends/*` and `/api/blocks/*`. */
import { Router, type RequestHandler } from 'express';
import { BlockRequest, FriendRequestRequest, RemarkRequest } from '../../shared/social-api.js';
import type { FriendService } from '../social/friend-service.js';
import { signedIn } from './require-session.js';
import { forMember, forMemberWithBody } from './member-route.js';

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

  router.post(
    '/friends/requests',
    forMemberWithBody(FriendRequestRequest, (me, body) => friends.sendRequest(me, body, body.note), 201),
  );

  router.post(
    '/friends/requests/:id/accept',
    forMember((me, p) => friends.accept(me, p.id)),
  );

  router.post(
    '/friends/requests/:id/decline',
    forMember((me, p) => friends.dismiss(me, p.id)),
  );

  router.delete(
    '/friends/requests/:id',
    forMember((me, p) => friends.dismiss(me, p.id)),
  );

  router.put(
    '/friends/:id/remark',
    forMemberWithBody(RemarkRequest, (me, body, p) => friends.setRemark(me, p.id, body.remark)),
  );

  router.delete(
    '/friends/:id',
    forMember((me, p) => friends.unfriend(me, p.id)),
  );

  /** The people I blocked, with their names so I can recognise whom to unblock. */
  router.get('/blocks', async (_req, res) => {
    res.json(await friends.blockedBy(signedIn(res).user));
  });

  router.post(
    '/blocks',
    forMemberWithBody(BlockRequest, (me, body) => friends.block(me, body.userId)),
  );

  router.delete(
    '/blocks/:userId',
    forMember((me, p) => friends.unblock(me, p.userId)),
  );

  return router;
}
