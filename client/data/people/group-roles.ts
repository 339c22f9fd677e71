/**
 * What my role in a group lets me do to another member, mirroring the
 * server's rules (sync-server/conversations/group-service.ts), so the panel
 * offers only what will be accepted. The server decides in the end.
 */
import type { MemberInfo, MemberRole } from '../../../shared/schema.js';
import type { Remarks } from './display-names.js';

export type MemberAction = 'make-admin' | 'make-member' | 'transfer' | 'remove';

const RANK: Record<MemberRole, number> = { owner: 3, admin: 2, member: 1 };

/** The owner changes roles, hands over and removes anyone; an admin removes plain members; nobody acts on themselves here. */
export function allowedMemberActions(myRole: MemberRole, theirRole: MemberRole, isMe: boolean): MemberAction[] {
  if (isMe || theirRole === 'owner') return [];
  const actions: MemberAction[] = [];
  if (myRole === 'owner') {
    actions.push(theirRole === 'admin' ? 'make-member' : 'make-admin', 'transfer');
  }
  if (RANK[myRole] > RANK[theirRole]) actions.push('remove');
  return actions;
}

/** Owner and admins may rename the group, set its notice and picture, and make invite links. */
export function canManageGroup(role: MemberRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** Members by role (owner, admins, members), then by the name I see. */
export function sortedMembers(members: Record<string, MemberInfo>, remarks: Remarks): Array<[string, MemberInfo]> {
  const shown = (id: string, info: MemberInfo) => remarks.get(id) ?? info.name ?? '';
  return Object.entries(members)
    .filter(([, info]) => info && typeof info === 'object')
    .sort(
      ([aId, a], [bId, b]) =>
        (RANK[b.role] ?? 0) - (RANK[a.role] ?? 0) ||
        shown(aId, a).localeCompare(shown(bId, b), undefined, { sensitivity: 'base' }) ||
        (aId < bId ? -1 : 1),
    );
}
