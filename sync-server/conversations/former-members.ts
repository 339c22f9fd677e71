/**
 * Names that outlive membership (issue 15): when someone leaves or is
 * removed, `meta.members` no longer lists them, so the server keeps their
 * name and picture in `meta.formerMembers` and everyone still sees who
 * wrote their earlier messages. Documents written before this kept nothing;
 * `authorsWithoutNames` finds such authors so the next refresh can name
 * them again from the account store.
 */
import type * as Y from 'yjs';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { formerMembersOf, membersOf, messagesOf, type MemberInfo } from '../../shared/schema.js';

/**
 * The former members after a membership change: those already former, plus
 * those in `previous` who are not in `current`; anyone (back) in `current` is no longer former.
 */
export function formerMembersAfter(
  previous: Record<string, MemberInfo>,
  previousFormer: Record<string, MemberInfo>,
  current: Record<string, MemberInfo>,
): Record<string, MemberInfo> {
  const former: Record<string, MemberInfo> = { ...previousFormer };
  for (const [id, info] of Object.entries(previous)) former[id] = info;
  for (const id of Object.keys(current)) delete former[id];
  return former;
}

/** Authors of messages in `doc` that neither `meta.members` nor `meta.formerMembers` name (the server's and the robot's aside). */
export function authorsWithoutNames(doc: Y.Doc, systemAuthor: string): string[] {
  const named = { ...formerMembersOf(doc), ...membersOf(doc) };
  const missing = new Set<string>();
  for (const message of messagesOf(doc).values()) {
    const author = message.author;
    if (author === systemAuthor || author === ROBOT_USER_ID || author in named) continue;
    missing.add(author);
  }
  return [...missing];
}
