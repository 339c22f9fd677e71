/** `/api/conversations/*` and `/api/invites/*`: direct chats, groups, members, invite links. */
import { Router, type Response } from 'express';
import { CreateConversationRequest, errorCodeOf } from '../../shared/api.js';
import {
  AddMembersRequest,
  CreateGroupRequest,
  CreateInviteRequest,
  SetRoleRequest,
  TransferRequest,
  UpdateGroupRequest,
} from '../../shared/social-api.js';
import type { ServerContext } from '../context.js';
import { sendError, sendRateLimited } from './errors.js';
import { requireSession, signedIn } from './require-session.js';
import { parseBody, respond } from './respond.js';

export function conversationRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.use(['/conversations', '/invites'], requireSession(ctx));

  /** Counts the people one person puts into groups (RATE_GROUP_ADDS_PER_USER); answers 429 itself when over. */
  function withinAddLimit(res: Response, userIds: string[]): boolean {
    const me = signedIn(res).user;
    const others = new Set(userIds.filter((id) => id !== me.id));
    if (others.size === 0) return true;
    const limit = ctx.limits.groupAdds.consume(me.id, others.size);
    if (!limit.allowed) sendRateLimited(res, limit.retryAfterSeconds);
    return limit.allowed;
  }

  router.post('/conversations', async (req, res) => {
    const me = signedIn(res).user;
    if ((req.body as { kind?: unknown } | undefined)?.kind === 'group') {
      const body = parseBody(res, CreateGroupRequest, req.body);
      if (body && withinAddLimit(res, body.memberIds)) respond(res, await ctx.groups.create(me, body.title, body.memberIds), 201);
      return;
    }
    const parsed = CreateConversationRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, errorCodeOf(parsed.error));
    const other = await ctx.users.byEmail(parsed.data.email);
    if (!other || !other.activated) return sendError(res, 404, 'user_not_found');
    if (other.id === me.id) return sendError(res, 400, 'cannot_chat_with_self');
    // One-to-one chats are between friends only (issue: friends, groups and profiles).
    if (!(await ctx.friendStore.areFriends(me.id, other.id))) return sendError(res, 403, 'not_friends');
    const id = await ctx.conversations.openDirect(me, other);
    res.status(201).json({ id });
  });

  router.get('/conversations', async (_req, res) => {
    res.json(await ctx.conversations.listFor(signedIn(res).user));
  });

  router.patch('/conversations/:id', async (req, res) => {
    const body = parseBody(res, UpdateGroupRequest, req.body);
    if (body) respond(res, await ctx.groups.update(signedIn(res).user, req.params.id, body));
  });

  router.delete('/conversations/:id', async (req, res) => {
    respond(res, await ctx.groups.disband(signedIn(res).user, req.params.id));
  });

  router.get('/conversations/:id/members', async (req, res) => {
    respond(res, await ctx.groups.members(signedIn(res).user, req.params.id));
  });

  router.post('/conversations/:id/members', async (req, res) => {
    const body = parseBody(res, AddMembersRequest, req.body);
    if (body && withinAddLimit(res, body.userIds)) respond(res, await ctx.groups.addMembers(signedIn(res).user, req.params.id, body.userIds));
  });

  router.delete('/conversations/:id/members/:userId', async (req, res) => {
    respond(res, await ctx.groups.remove(signedIn(res).user, req.params.id, req.params.userId));
  });

  router.put('/conversations/:id/members/:userId/role', async (req, res) => {
    const body = parseBody(res, SetRoleRequest, req.body);
    if (body) respond(res, await ctx.groups.setRole(signedIn(res).user, req.params.id, req.params.userId, body.role));
  });

  router.post('/conversations/:id/leave', async (req, res) => {
    respond(res, await ctx.groups.leave(signedIn(res).user, req.params.id));
  });

  router.post('/conversations/:id/transfer', async (req, res) => {
    const body = parseBody(res, TransferRequest, req.body);
    if (body) respond(res, await ctx.groups.transfer(signedIn(res).user, req.params.id, body.userId));
  });

  router.post('/conversations/:id/invites', async (req, res) => {
    const body = parseBody(res, CreateInviteRequest, req.body);
    if (body) respond(res, await ctx.invites.create(signedIn(res).user, req.params.id, body.expiresInHours, body.maxUses), 201);
  });

  router.get('/conversations/:id/invites', async (req, res) => {
    respond(res, await ctx.invites.list(signedIn(res).user, req.params.id));
  });

  router.delete('/conversations/:id/invites/:inviteId', async (req, res) => {
    respond(res, await ctx.invites.revoke(signedIn(res).user, req.params.id, req.params.inviteId));
  });

  router.get('/invites/:code', async (req, res) => {
    respond(res, await ctx.invites.preview(req.params.code));
  });

  router.post('/invites/:code/join', async (req, res) => {
    respond(res, await ctx.invites.join(signedIn(res).user, req.params.code));
  });

  return router;
}
