import { describe, expect, it } from 'vitest';
import { allowedMemberActions, canManageGroup, sortedMembers } from './group-roles.js';

describe('what my role allows', () => {
  it('lets the owner change roles, hand over and remove', () => {
    expect(allowedMemberActions('owner', 'member', false)).toEqual(['make-admin', 'transfer', 'remove']);
    expect(allowedMemberActions('owner', 'admin', false)).toEqual(['make-member', 'transfer', 'remove']);
  });

  it('lets an admin remove plain members only', () => {
    expect(allowedMemberActions('admin', 'member', false)).toEqual(['remove']);
    expect(allowedMemberActions('admin', 'admin', false)).toEqual([]);
  });

  it('never acts on the owner or on myself, and members act on nobody', () => {
    expect(allowedMemberActions('admin', 'owner', false)).toEqual([]);
    expect(allowedMemberActions('owner', 'owner', true)).toEqual([]);
    expect(allowedMemberActions('member', 'member', false)).toEqual([]);
  });

  it('lets owners and admins manage the group', () => {
    expect([canManageGroup('owner'), canManageGroup('admin'), canManageGroup('member'), canManageGroup(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('sortedMembers', () => {
  it('puts the owner first, then admins, then members, each by the name I see', () => {
    const members = {
      m2: { name: 'zed', role: 'member' as const },
      m1: { name: 'Amy', role: 'member' as const },
      a1: { name: 'Bo', role: 'admin' as const },
      o: { name: 'Olga', role: 'owner' as const },
    };
    expect(sortedMembers(members, new Map([['m2', 'Aaron']])).map(([id]) => id)).toEqual(['o', 'a1', 'm2', 'm1']);
  });
});
