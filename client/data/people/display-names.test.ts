import { describe, expect, it } from 'vitest';
import type { FriendEntry, MemberInfo } from '../../../shared/schema.js';
import {
  NO_REMARKS,
  conversationTitle,
  membersWithRemarks,
  nameBesideRemark,
  personName,
  remarksOf,
  sameRemarks,
} from './display-names.js';

const friend = (id: string, name: string, remark?: string): FriendEntry => ({ id, name, remark, since: 1, conversationId: `d-${id}` });

describe('remarks', () => {
  it('collects non-empty remarks only, trimmed', () => {
    const remarks = remarksOf([friend('b', 'Ben', ' Benny 🐻 '), friend('c', 'Cat', '   '), friend('d', 'Dan')]);
    expect([...remarks]).toEqual([['b', 'Benny 🐻']]);
    expect(remarksOf([friend('d', 'Dan')])).toBe(NO_REMARKS);
  });

  it('compares by content', () => {
    expect(sameRemarks(new Map([['b', 'x']]), new Map([['b', 'x']]))).toBe(true);
    expect(sameRemarks(new Map([['b', 'x']]), new Map([['b', 'y']]))).toBe(false);
    expect(sameRemarks(new Map([['b', 'x']]), NO_REMARKS)).toBe(false);
  });
});

describe('names as I see them', () => {
  const remarks = new Map([['b', '老板']]);

  it('shows my remark in place of the name, and the real name beside it', () => {
    expect(personName('b', 'Ben', remarks)).toBe('老板');
    expect(personName('c', 'Cat', remarks)).toBe('Cat');
    expect(nameBesideRemark('b', 'Ben', remarks)).toBe('Ben');
    expect(nameBesideRemark('c', 'Cat', remarks)).toBeUndefined();
    expect(nameBesideRemark('b', '老板', remarks)).toBeUndefined();
  });

  it('names a direct chat after the friend by my remark; groups keep their titles', () => {
    expect(conversationTitle({ kind: 'direct', title: 'Ben', peerId: 'b' }, remarks)).toBe('老板');
    expect(conversationTitle({ kind: 'direct', title: 'Cat', peerId: 'c' }, remarks)).toBe('Cat');
    expect(conversationTitle({ kind: 'group', title: 'b', peerId: undefined }, remarks)).toBe('b');
    expect(conversationTitle({ kind: 'direct', title: 'Ben', peerId: 'b' }, undefined)).toBe('Ben');
  });

  it('renames members by remark, and keeps the same object when nothing changes', () => {
    const members: Record<string, MemberInfo> = { a: { name: 'Ann', role: 'owner' }, b: { name: 'Ben', role: 'member' } };
    const renamed = membersWithRemarks(members, remarks);
    expect(renamed).toEqual({ a: { name: 'Ann', role: 'owner' }, b: { name: '老板', role: 'member' } });
    expect(members.b?.name).toBe('Ben');
    // Same inputs, same object: the message list does not re-render for nothing.
    expect(membersWithRemarks(members, remarks)).toBe(renamed);
    expect(membersWithRemarks(members, NO_REMARKS)).toBe(members);
    expect(membersWithRemarks(members, new Map([['z', 'nobody here']]))).toBe(members);
  });

  it('names a former member who deleted their account "Deleted account", whatever my remark for them was', () => {
    const members: Record<string, MemberInfo> = { a: { name: 'Ann', role: 'owner' }, b: { name: '', role: 'member', deleted: true } };
    const shown = membersWithRemarks(members, remarks);
    expect(shown.b).toEqual({ name: 'Deleted account', role: 'member', deleted: true });
    expect(membersWithRemarks(members, remarks)).toBe(shown);
  });
});
