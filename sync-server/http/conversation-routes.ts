/** `/api/conversations/*` and `/api/invites/*`: direct chats, groups, members, invite links. */
import { Router, type RequestHandler } from 'express';
import { CreateConversationRequest } from '../../shared/api.js';
import {
  AddMembersRequest,
  CreateGroupRequest,
  CreateInviteRequest,
  SetRoleRequest,
  TransferRequest,
  UpdateGroupRequest,
} from '../../shared/social-api.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { GroupService } from '../conversations/group-service.js';
import type { InviteService } from '../conversations/invite-service.js';
import { signedIn } from './require-session.js';
import { forMember, forMemberWithBody } from './member-route.js';
import { parseBody, respond } from './respond.js';

export interface ConversationRouteParts {
  requireSession: RequestHandler;
  conversations: ConversationService;
  groups: GroupService;
  invites: InviteService;
}

export function conversationRoutes({ requireSession, conversations, groups, invites }: ConversationRouteParts): Router {
  const router = Router();
  router.use(['/conversations', '/invites'], requireSession);

  router.post('/conversations', async (req, res) => {
    const me = signedIn(res).user;
    if ((req.body as { kind?: unknown } | undefined)?.kind === 'group') {
      const body = parseBody(res, CreateGroupRequest, req.body);
      if (body) respond(res, await groups.create(me, body.title, body.memberIds), 201);
      return;
    }
    const body = parseBody(res, CreateConversationRequest, req.body);
    if (body) respond(res, await conversations.startDirect(me, body.email), 201);
  });

  router.get('/conversations', async (_req, res) => {
    res.json(await conversations.listFor(signedIn(res).user));
  });

  router.patch(
    '/conversations/:id',
    forMemberWithBody(UpdateGroupRequest, (me, body, p) => groups.update(me, p.id, body)),
  );

  router.delete(
    '/conversations/:id',
    forMember((me, p) => groups.disband(me, p.id)),
  );

  router.get(
    '/conversations/:id/members',
    forMember((me, p) => groups.members(me, p.id)),
  );

  router.post(
    '/conversations/:id/members',
    forMemberWithBody(AddMembersRequest, (me, body, p) => groups.addMembers(me, p.id, body.userIds)),
  );

  router.delete(
    '/conversations/:id/members/:userId',
    forMember((me, p) => groups.remove(me, p.id, p.userId)),
  );

  router.put(
    '/conversations/:id/members/:userId/role',
    forMemberWithBody(SetRoleRequest, (me, body, p) => groups.setRole(me, p.id, p.userId, body.role)),
  );

  router.post(
    '/conversations/:id/leave',
    forMember((me, p) => groups.leave(me, p.id)),
  );

  router.post(
    '/conversations/:id/transfer',
    forMemberWithBody(TransferRequest, (me, body, p) => groups.transfer(me, p.id, body.userId)),
  );

  router.post(
    '/conversations/:id/invites',
    forMemberWithBody(CreateInviteRequest, (me, body, p) => invites.create(me, p.id, body.expiresInHours, body.maxUses), 201),
  );

  router.get(
    '/conversations/:id/invites',
    forMember((me, p) => invites.list(me, p.id)),
  );

  router.delete(
    '/conversations/:id/invites/:inviteId',
    forMember((me, p) => invites.revoke(me, p.id, p.inviteId)),
  );

  router.get('/invites/:code', async (req, res) => {
    respond(res, await invites.preview(req.params.code));
  });

  router.post(
    '/invites/:code/join',
    forMember((me, p) => invites.join(me, p.code)),
  );

  return router;
}
