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

  router.patch('/conversations/:id', async (req, res) => {
    const body = parseBody(res, UpdateGroupRequest, req.body);
    if (body) respond(res, await groups.update(signedIn(res).user, req.params.id, body));
  });

  router.delete('/conversations/:id', async (req, res) => {
    respond(res, await groups.disband(signedIn(res).user, req.params.id));
  });

  router.get('/conversations/:id/members', async (req, res) => {
    respond(res, await groups.members(signedIn(res).user, req.params.id));
  });

  router.post('/conversations/:id/members', async (req, res) => {
    const body = parseBody(res, AddMembersRequest, req.body);
    if (body) respond(res, await groups.addMembers(signedIn(res).user, req.params.id, body.userIds));
  });

  router.delete('/conversations/:id/members/:userId', async (req, res) => {
    respond(res, await groups.remove(signedIn(res).user, req.params.id, req.params.userId));
  });

  router.put('/conversations/:id/members/:userId/role', async (req, res) => {
    const body = parseBody(res, SetRoleRequest, req.body);
    if (body) respond(res, await groups.setRole(signedIn(res).user, req.params.id, req.params.userId, body.role));
  });

  router.post('/conversations/:id/leave', async (req, res) => {
    respond(res, await groups.leave(signedIn(res).user, req.params.id));
  });

  router.post('/conversations/:id/transfer', async (req, res) => {
    const body = parseBody(res, TransferRequest, req.body);
    if (body) respond(res, await groups.transfer(signedIn(res).user, req.params.id, body.userId));
  });

  router.post('/conversations/:id/invites', async (req, res) => {
    const body = parseBody(res, CreateInviteRequest, req.body);
    if (body) respond(res, await invites.create(signedIn(res).user, req.params.id, body.expiresInHours, body.maxUses), 201);
  });

  router.get('/conversations/:id/invites', async (req, res) => {
    respond(res, await invites.list(signedIn(res).user, req.params.id));
  });

  router.delete('/conversations/:id/invites/:inviteId', async (req, res) => {
    respond(res, await invites.revoke(signedIn(res).user, req.params.id, req.params.inviteId));
  });

  router.get('/invites/:code', async (req, res) => {
    respond(res, await invites.preview(req.params.code));
  });

  router.post('/invites/:code/join', async (req, res) => {
    respond(res, await invites.join(signedIn(res).user, req.params.code));
  });

  return router;
}
