/**
 * Groups: create, add friends, leave, remove, rename, roles, hand-over and
 * disband. Each action is authorized here by role (owner > admin > member);
 * a member who leaves or is removed loses the document at once (the relay
 * closes their sockets) but keeps what they had, marked as ended.
 *
 * Membership changes of one group run one at a time (a keyed lock), so a
 * join racing a disband or another join cannot slip past the checks. A
 * person is in at most `groupsPerUser` groups, however they got there.
 */
import type { SystemEvent } from '../../shared/system-events.js';
import type { MemberView } from '../../shared/social-api.js';
import type { MemberRole } from '../../shared/schema.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { generateId } from '../ids/random-ids.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import { ok, rateLimited, refuse, type Outcome, type Refusal } from '../outcome.js';
import type { SocketRevoker } from '../relay/revocation.js';
import type { ConversationStore } from '../store/conversations.js';
import type { ConversationRecord, MembershipRecord, UserRecord } from '../store/database.js';
import type { FriendStore } from '../store/friends.js';
import type { InviteStore } from '../store/invites.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { UserStore } from '../store/users.js';
import type { ConversationDocuments } from './conversation-documents.js';

/** The codes this service refuses with (http/error-status.ts gives their statuses). */
export type GroupError =
  | 'conversation_not_found'
  | 'forbidden'
  | 'not_friends'
  | 'member_limit'
  | 'group_limit'
  | 'invite_invalid'
  | 'owner_cannot_leave'
  | 'not_a_member'
  | 'cannot_remove_owner'
  | 'rate_limited';

export interface GroupChange {
  title?: string;
  notice?: string;
  avatar?: string | null;
  pinsByAdmins?: boolean;
}

interface GroupContext {
  group: ConversationRecord;
  members: Map<string, MembershipRecord>;
  myRole: MemberRole;
}

const RANK: Record<MemberRole, number> = { owner: 3, admin: 2, member: 1 };

/** Every group id starts with this; the per-person cap counts memberships by it. */
const GROUP_ID_PREFIX = 'g';

export interface GroupLimits {
  /** Most members one group may have. */
  members: number;
  /** Most groups one person may be in. */
  groupsPerUser: number;
}

export class GroupService {
  constructor(
    private readonly store: ConversationStore,
    private readonly users: UserStore,
    private readonly friends: FriendStore,
    private readonly documents: ConversationDocuments,
    /** Cuts off sockets (on every relay, in a cluster). */
    private readonly revoker: SocketRevoker,
    private readonly invites: InviteStore,
    private readonly limits: GroupLimits,
    /** People one person puts into groups, over time (RATE_GROUP_ADDS_PER_USER). */
    private readonly addsPerPerson: RateLimiter,
  ) {}

  private readonly membershipLock = new KeyedLock();

  async create(me: UserRecord, title: string, memberIds: string[]): Promise<Outcome<{ id: string }, GroupError>> {
    const overLimit = await this.countAdds(me, memberIds);
    if (overLimit) return overLimit;
    const others = [...new Set(memberIds)].filter((id) => id !== me.id);
    if (others.length + 1 > this.limits.members) return refuse('member_limit');
    for (const id of others) {
      if (!(await this.mayAdd(me.id, id))) return refuse('not_friends');
    }
    for (const id of [me.id, ...others]) if (await this.inTooManyGroups(id)) return refuse('group_limit');
    const now = Date.now();
    const group: ConversationRecord = { id: GROUP_ID_PREFIX + generateId(), kind: 'group', createdAt: now, title, createdBy: me.id };
    const members = new Map<string, MembershipRecord>([[me.id, { role: 'owner', joinedAt: now }]]);
    for (const id of others) members.set(id, { role: 'member', joinedAt: now });
    await this.store.create(group, members);
    await this.documents.refresh(group.id);
    await this.documents.postSystemMessage(group.id, { type: 'created', actor: me.name, title });
    return ok({ id: group.id });
  }

  async members(me: UserRecord, groupId: string): Promise<Outcome<MemberView[], GroupError>> {
    const context = await this.context(me, groupId, { kinds: ['group', 'direct'] });
    if (!context.ok) return context;
    const views: MemberView[] = [];
    for (const [userId, membership] of context.value.members) {
      const user = await this.users.byId(userId);
      if (!user) continue;
      const view: MemberView = { id: user.id, name: user.name, role: membership.role };
      if (user.avatar) view.avatar = user.avatar;
      views.push(view);
    }
    return ok(views.sort((a, b) => RANK[b.role] - RANK[a.role] || a.name.localeCompare(b.name)));
  }

  /** Any member may add their own friends (nobody else: strangers come in only by an invite link they choose to use). */
  async addMembers(me: UserRecord, groupId: string, userIds: string[]): Promise<Outcome<null, GroupError>> {
    const overLimit = await this.countAdds(me, userIds);
    if (overLimit) return overLimit;
    return this.membershipLock.run(groupId, () => this.addMembersNow(me, groupId, userIds));
  }

  /** Counts the people `me` asks to put into a group, refused or not: a refusal when over the limit. */
  private async countAdds(me: UserRecord, userIds: string[]): Promise<Refusal<'rate_limited'> | undefined> {
    const others = new Set(userIds.filter((id) => id !== me.id));
    if (others.size === 0) return undefined;
    const limit = await this.addsPerPerson.consume(me.id, others.size);
    return limit.allowed ? undefined : rateLimited(limit.retryAfterSeconds);
  }

  private async addMembersNow(me: UserRecord, groupId: string, userIds: string[]): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId);
    if (!context.ok) return context;
    const { members } = context.value;
    const newcomers = [...new Set(userIds)].filter((id) => !members.has(id));
    if (members.size + newcomers.length > this.limits.members) return refuse('member_limit');
    const added: UserRecord[] = [];
    for (const id of newcomers) {
      const user = await this.users.byId(id);
      if (!user || !(await this.mayAdd(me.id, id))) return refuse('not_friends');
      if (await this.inTooManyGroups(id)) return refuse('group_limit');
      added.push(user);
    }
    if (added.length === 0) return ok(null);
    const now = Date.now();
    await this.store.putMembers(groupId, new Map(added.map((u) => [u.id, { role: 'member' as const, joinedAt: now }])));
    await this.documents.refresh(groupId);
    await this.documents.postSystemMessage(groupId, { type: 'added', actor: me.name, names: added.map((u) => u.name) });
    return ok(null);
  }

  /** Adds someone who holds a valid invite (checked by the caller); never into a disbanded group. */
  async admit(user: UserRecord, groupId: string): Promise<Outcome<null, GroupError>> {
    return this.membershipLock.run(groupId, () => this.admitNow(user, groupId));
  }

  private async admitNow(user: UserRecord, groupId: string): Promise<Outcome<null, GroupError>> {
    const group = await this.store.byId(groupId);
    if (group?.kind !== 'group' || group.disbandedAt !== undefined) return refuse('invite_invalid');
    const members = await this.store.members(groupId);
    if (members.has(user.id)) return ok(null);
    if (members.size + 1 > this.limits.members) return refuse('member_limit');
    if (await this.inTooManyGroups(user.id)) return refuse('group_limit');
    await this.store.putMembers(groupId, new Map([[user.id, { role: 'member', joinedAt: Date.now() }]]));
    await this.documents.refresh(groupId);
    await this.documents.postSystemMessage(groupId, { type: 'joined', actor: user.name });
    return ok(null);
  }

  async leave(me: UserRecord, groupId: string): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId);
    if (!context.ok) return context;
    if (context.value.myRole === 'owner') return refuse('owner_cannot_leave');
    await this.dropMember(groupId, me.id, 'left');
    await this.documents.postSystemMessage(groupId, { type: 'left', actor: me.name });
    return ok(null);
  }

  /** The owner removes anyone; an admin removes plain members only. */
  async remove(me: UserRecord, groupId: string, userId: string): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId);
    if (!context.ok) return context;
    const target = context.value.members.get(userId);
    if (!target) return refuse('not_a_member');
    if (target.role === 'owner') return refuse('cannot_remove_owner');
    if (userId === me.id) return this.leave(me, groupId);
    if (RANK[context.value.myRole] <= RANK[target.role]) return refuse('forbidden');
    const removed = await this.users.byId(userId);
    // Read again: the copy checked above may predate a rename made meanwhile.
    const group = (await this.store.byId(groupId)) ?? context.value.group;
    await this.store.update({ ...group, removedAt: { ...group.removedAt, [userId]: Date.now() } });
    await this.dropMember(groupId, userId, 'removed');
    await this.documents.postSystemMessage(groupId, { type: 'removed', actor: me.name, target: removed?.name ?? 'a member' });
    return ok(null);
  }

  /** Whether `me` may change the group's name, notice and picture (asked before an upload is stored). */
  async mayUpdate(me: UserRecord, groupId: string): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId, { minRole: 'admin' });
    return context.ok ? ok(null) : context;
  }

  async update(me: UserRecord, groupId: string, change: GroupChange): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId, { minRole: 'admin' });
    if (!context.ok) return context;
    const group = { ...context.value.group };
    const notes: SystemEvent[] = [];
    if (change.title !== undefined && change.title !== group.title) {
      group.title = change.title;
      notes.push({ type: 'renamed', actor: me.name, title: change.title });
    }
    if (change.notice !== undefined && change.notice !== (group.notice ?? '')) {
      group.notice = change.notice === '' ? undefined : change.notice;
      notes.push({ type: 'notice', actor: me.name });
    }
    if (change.avatar !== undefined && change.avatar !== (group.avatar ?? null)) {
      group.avatar = change.avatar ?? undefined;
      notes.push({ type: 'picture', actor: me.name });
    }
    // No system line for it, as in Telegram: the setting shows in the group's info, and the pin action follows it.
    const pinsMoved = change.pinsByAdmins !== undefined && change.pinsByAdmins !== (group.pinsByAdmins ?? false);
    if (pinsMoved) group.pinsByAdmins = change.pinsByAdmins ? true : undefined;
    if (notes.length === 0 && !pinsMoved) return ok(null);
    await this.store.update(group);
    await this.documents.refresh(groupId);
    for (const note of notes) await this.documents.postSystemMessage(groupId, note);
    return ok(null);
  }

  async setRole(me: UserRecord, groupId: string, userId: string, role: 'admin' | 'member'): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId, { minRole: 'owner' });
    if (!context.ok) return context;
    const target = context.value.members.get(userId);
    if (!target) return refuse('not_a_member');
    if (target.role === 'owner') return refuse('forbidden');
    if (target.role === role) return ok(null);
    await this.store.putMembers(groupId, new Map([[userId, { ...target, role }]]));
    await this.documents.refresh(groupId);
    const user = await this.users.byId(userId);
    await this.documents.postSystemMessage(groupId, { type: 'role', actor: me.name, target: user?.name ?? 'a member', role });
    return ok(null);
  }

  /** The owner hands the group over and stays on as an admin. */
  async transfer(me: UserRecord, groupId: string, userId: string): Promise<Outcome<null, GroupError>> {
    const context = await this.context(me, groupId, { minRole: 'owner' });
    if (!context.ok) return context;
    const target = context.value.members.get(userId);
    if (!target || userId === me.id) return refuse('not_a_member');
    const mine = context.value.members.get(me.id) as MembershipRecord;
    await this.store.putMembers(
      groupId,
      new Map([
        [userId, { ...target, role: 'owner' }],
        [me.id, { ...mine, role: 'admin' }],
      ]),
    );
    await this.documents.refresh(groupId);
    const user = await this.users.byId(userId);
    await this.documents.postSystemMessage(groupId, { type: 'handed-over', actor: me.name, target: user?.name ?? 'a member' });
    return ok(null);
  }

  /**
   * Ends the group for good: marked disbanded first (so no join can start),
   * its invites revoked, every member dropped. The document stays on the
   * server, sealed: nobody is a member and nobody can become one, so nobody
   * can open it; former members keep their own copy, read-only.
   */
  async disband(me: UserRecord, groupId: string): Promise<Outcome<null, GroupError>> {
    return this.membershipLock.run(groupId, async () => {
      const context = await this.context(me, groupId, { minRole: 'owner' });
      if (!context.ok) return context;
      await this.store.update({ ...context.value.group, disbandedAt: Date.now() });
      await this.invites.revokeAllOf(groupId);
      await this.documents.postSystemMessage(groupId, { type: 'disbanded', actor: me.name });
      for (const userId of context.value.members.keys()) await this.dropMember(groupId, userId, 'disbanded');
      return ok(null);
    });
  }

  /**
   * A member deleting their account leaves every group. A group they own
   * passes to its longest-standing admin, else its longest-standing member
   * (people only: not the robot); one with nobody else in it is disbanded.
   * The event names nobody who left: their name is being erased.
   */
  async leaveAllForDeletion(me: UserRecord): Promise<void> {
    const groupIds = (await this.store.conversationIdsOf(me.id)).filter((id) => id.startsWith(GROUP_ID_PREFIX));
    for (const groupId of groupIds) {
      await this.membershipLock.run(groupId, async () => {
        const group = await this.store.byId(groupId);
        const members = await this.store.members(groupId);
        const mine = members.get(me.id);
        if (!group || !mine) return;
        if (group.disbandedAt !== undefined) return this.dropMember(groupId, me.id, 'left');
        const successor = mine.role === 'owner' ? successorOf(members, me.id) : undefined;
        if (mine.role === 'owner' && !successor) {
          await this.store.update({ ...group, disbandedAt: Date.now() });
          await this.invites.revokeAllOf(groupId);
          await this.documents.postSystemMessage(groupId, { type: 'account-deleted', actor: '' });
          for (const userId of members.keys()) await this.dropMember(groupId, userId, 'disbanded');
          return;
        }
        if (successor) await this.store.putMembers(groupId, new Map([[successor.id, { ...successor.membership, role: 'owner' }]]));
        await this.dropMember(groupId, me.id, 'left');
        const newOwner = successor ? (await this.users.byId(successor.id))?.name : undefined;
        await this.documents.postSystemMessage(groupId, { type: 'account-deleted', actor: '', ...(newOwner ? { newOwner } : {}) });
      });
    }
  }

  /** Members add their friends, and anyone may add the robot. */
  private async mayAdd(me: string, userId: string): Promise<boolean> {
    return userId === ROBOT_USER_ID || this.friends.areFriends(me, userId);
  }

  /** Whether a person is already in as many groups as anyone may be. */
  private async inTooManyGroups(userId: string): Promise<boolean> {
    // The robot is in every group that asks for it; the cap protects people.
    if (userId === ROBOT_USER_ID) return false;
    const limit = this.limits.groupsPerUser;
    return (await this.store.countIdsOf(userId, GROUP_ID_PREFIX, limit)) >= limit;
  }

  private async dropMember(groupId: string, userId: string, ended: 'left' | 'removed' | 'disbanded'): Promise<void> {
    await this.store.removeMembers(groupId, [userId]);
    this.revoker.revoke({ kind: 'member-removed', conversationId: groupId, userId });
    await this.documents.endForMember(userId, groupId, ended);
    await this.documents.refresh(groupId);
  }

  /** Loads the group and my role in it; refuses non-members and too-low roles alike. */
  private async context(
    me: UserRecord,
    groupId: string,
    options: { minRole?: MemberRole; kinds?: Array<ConversationRecord['kind']> } = {},
  ): Promise<Outcome<GroupContext, GroupError>> {
    const group = await this.store.byId(groupId);
    const kinds = options.kinds ?? ['group'];
    if (!group || !kinds.includes(group.kind) || group.disbandedAt !== undefined) return refuse('conversation_not_found');
    const members = await this.store.members(groupId);
    const mine = members.get(me.id);
    if (!mine) return refuse('conversation_not_found');
    if (options.minRole && RANK[mine.role] < RANK[options.minRole]) return refuse('forbidden');
    return ok({ group, members, myRole: mine.role });
  }
}

/** Who takes over a group from `leaving`: the longest-standing admin, else member; never the robot. */
function successorOf(members: Map<string, MembershipRecord>, leaving: string): { id: string; membership: MembershipRecord } | undefined {
  const people = [...members].filter(([id]) => id !== leaving && id !== ROBOT_USER_ID);
  const rank = (role: MemberRole) => (role === 'admin' ? 0 : 1);
  people.sort(([, a], [, b]) => rank(a.role) - rank(b.role) || a.joinedAt - b.joinedAt);
  const [first] = people;
  return first ? { id: first[0], membership: first[1] } : undefined;
}
