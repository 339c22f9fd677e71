/**
 * How people are named on my screen: a friend I gave a remark to is shown
 * by that remark, everywhere (conversation titles, the chat header, message
 * authors, member lists); everyone else by their own name. Remarks are
 * private: they come from my own `user/<id>` document only.
 */
import { msg } from '@lit/localize';
import { robotName } from './robot-name.js';
import type { ConversationSummary, FriendEntry, MemberInfo } from '../../../shared/schema.js';

/** My remarks by friend id; an immutable value (a new map means something changed). */
export type Remarks = ReadonlyMap<string, string>;

export const NO_REMARKS: Remarks = new Map();

/** The remarks in my friend list. */
export function remarksOf(friends: Iterable<FriendEntry>): Remarks {
  const remarks = new Map<string, string>();
  for (const friend of friends) {
    const remark = friend.remark?.trim();
    if (remark) remarks.set(friend.id, remark);
  }
  return remarks.size === 0 ? NO_REMARKS : remarks;
}

export function sameRemarks(a: Remarks, b: Remarks): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, remark] of a) if (b.get(id) !== remark) return false;
  return true;
}

/** A person's name as I see it: my remark, else their name. */
export function personName(userId: string, name: string, remarks: Remarks | undefined): string {
  return remarks?.get(userId) ?? name;
}

/** The real name to show beside a remark, or undefined when no remark replaces it. */
export function nameBesideRemark(userId: string, name: string, remarks: Remarks | undefined): string | undefined {
  const remark = remarks?.get(userId);
  return remark !== undefined && remark !== name ? name : undefined;
}

/** A conversation's title in my list: a direct chat is named after the other person, by my remark if I gave one. */
export function conversationTitle(summary: Pick<ConversationSummary, 'kind' | 'title' | 'peerId'>, remarks: Remarks | undefined): string {
  if (summary.kind === 'direct' && summary.peerId) return personName(summary.peerId, summary.title, remarks);
  if (summary.kind === 'robot') return robotName();
  return summary.title;
}

const renamed = new WeakMap<Record<string, MemberInfo>, { remarks?: Remarks; deletedName: string; members: Record<string, MemberInfo> }>();

/**
 * Members (from a conversation's `meta`) with my remarks as their names, and
 * "Deleted account" (in my language) for those who deleted theirs. The same
 * inputs give the same object, so a list rendered from it re-renders only
 * when a name really changed; with nothing to rename, the members are
 * returned as they are.
 */
export function membersWithRemarks(members: Record<string, MemberInfo>, remarks: Remarks | undefined): Record<string, MemberInfo> {
  const deletedName = deletedAccountName();
  const cached = renamed.get(members);
  if (cached && cached.remarks === remarks && cached.deletedName === deletedName) return cached.members;
  let result = members;
  for (const [id, info] of Object.entries(members)) {
    // A deleted account's name is erased on the server, and my remark for them went with the friendship.
    const shown = info.deleted ? deletedName : remarks?.get(id);
    if (shown === undefined || shown === info.name) continue;
    if (result === members) result = { ...members };
    result[id] = { ...info, name: shown };
  }
  renamed.set(members, { remarks, deletedName, members: result });
  return result;
}

/** How an author who deleted their account is shown (their name is erased everywhere). */
export function deletedAccountName(): string {
  return msg('Deleted account');
}
