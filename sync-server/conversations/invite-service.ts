/**
 * Invite links to groups: made by the owner or an admin, expiring,
 * revocable, optionally limited in uses. The link carries a random code;
 * the store keeps only its hash. A join claims a use from the store first
 * (atomically, store/invites.ts) and gives it back if admission fails, so
 * parallel joins on any relays cannot overrun `maxUses`.
 */
import type { InviteView } from '../../shared/social-api.js';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';
import { ok, refuse, type Outcome } from '../outcome.js';
import type { ConversationStore } from '../store/conversations.js';
import type { InviteRecord, UserRecord } from '../store/database.js';
import type { InviteStore } from '../store/invites.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { GroupError, GroupService } from './group-service.js';

/** The codes this service refuses with (http/error-status.ts gives their statuses). */
export type InviteError = 'forbidden' | 'invite_invalid' | 'invite_expired' | 'removed_from_group' | GroupError;

export interface InvitePreview {
  conversationId: string;
  title: string;
  memberCount: number;
}

export class InviteService {
  constructor(
    private readonly invites: InviteStore,
    private readonly conversations: ConversationStore,
    private readonly groups: GroupService,
    /** Read at use: tests learn the real port only after the server listens. */
    private readonly publicUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  private readonly useLock = new KeyedLock();

  async create(me: UserRecord, groupId: string, expiresInHours: number, maxUses: number): Promise<Outcome<InviteView, InviteError>> {
    if (!(await this.mayManage(me, groupId))) return refuse('forbidden');
    const code = generateSecretToken();
    const invite: InviteRecord = {
      id: hashToken(code),
      conversationId: groupId,
      createdBy: me.id,
      createdAt: this.now(),
      expiresAt: this.now() + expiresInHours * 3600_000,
      maxUses,
      uses: 0,
      revoked: false,
    };
    await this.invites.create(invite);
    return ok({ ...view(invite), code, url: `${this.publicUrl()}/join/${code}` });
  }

  async list(me: UserRecord, groupId: string): Promise<Outcome<InviteView[], InviteError>> {
    if (!(await this.mayManage(me, groupId))) return refuse('forbidden');
    const now = this.now();
    const live = (await this.invites.ofConversation(groupId)).filter((i) => !i.revoked && i.expiresAt > now);
    return ok(live.map(view));
  }

  async revoke(me: UserRecord, groupId: string, inviteId: string): Promise<Outcome<null, InviteError>> {
    const invite = await this.invites.byId(inviteId);
    if (!invite || invite.conversationId !== groupId) return refuse('invite_invalid');
    if (!(await this.mayManage(me, groupId))) return refuse('forbidden');
    await this.invites.revoke(invite.id);
    return ok(null);
  }

  async preview(code: string): Promise<Outcome<InvitePreview, InviteError>> {
    const checked = await this.usable(code);
    if (!checked.ok) return checked;
    const group = await this.conversations.byId(checked.value.conversationId);
    if (!group) return refuse('invite_invalid');
    const members = await this.conversations.members(group.id);
    return ok({ conversationId: group.id, title: group.title ?? 'Group', memberCount: members.size });
  }

  async join(me: UserRecord, code: string): Promise<Outcome<{ conversationId: string }, InviteError>> {
    return this.useLock.run(hashToken(code), () => this.joinNow(me, code));
  }

  private async joinNow(me: UserRecord, code: string): Promise<Outcome<{ conversationId: string }, InviteError>> {
    const checked = await this.usable(code);
    if (!checked.ok) return checked;
    const invite = checked.value;
    // Someone already in the group does not use the link up.
    if (await this.conversations.isMember(invite.conversationId, me.id)) return ok({ conversationId: invite.conversationId });
    // Removed by an admin: links that existed then do not undo the removal; a new link (or being added) does.
    const removedAt = (await this.conversations.byId(invite.conversationId))?.removedAt?.[me.id];
    if (removedAt !== undefined && removedAt >= invite.createdAt) return refuse('removed_from_group');
    // Another relay may have taken the last use since the check above: the store decides.
    if (!(await this.invites.claimUse(invite.id, this.now()))) return refuse('invite_expired');
    const admitted = await this.groups.admit(me, invite.conversationId);
    if (!admitted.ok) {
      await this.invites.releaseUse(invite.id);
      return admitted;
    }
    return ok({ conversationId: invite.conversationId });
  }

  private async usable(code: string): Promise<Outcome<InviteRecord, InviteError>> {
    const invite = await this.invites.byId(hashToken(code));
    if (!invite || invite.revoked) return refuse('invite_invalid');
    if (this.now() >= invite.expiresAt) return refuse('invite_expired');
    if (invite.maxUses > 0 && invite.uses >= invite.maxUses) return refuse('invite_expired');
    const group = await this.conversations.byId(invite.conversationId);
    if (!group || group.disbandedAt !== undefined) return refuse('invite_invalid');
    return ok(invite);
  }

  private async mayManage(me: UserRecord, groupId: string): Promise<boolean> {
    const group = await this.conversations.byId(groupId);
    const membership = await this.conversations.membership(groupId, me.id);
    return group?.kind === 'group' && (membership?.role === 'owner' || membership?.role === 'admin');
  }
}

function view(invite: InviteRecord): InviteView {
  return { id: invite.id, expiresAt: invite.expiresAt, maxUses: invite.maxUses, uses: invite.uses };
}
