/**
 * Who may pin and unpin in a conversation (issue 15): any member, unless a
 * group's owner or admins chose "only admins can pin" (`meta.pinsByAdmins`,
 * written by the server from the group's settings), as Telegram and WhatsApp
 * let a group decide. The relay's validator and the client's menu ask the
 * same question. Pure: no node:*, no DOM.
 */
import type * as Y from 'yjs';
import { membersOf, metaOf } from './schema.js';

/** Whether a group keeps pinning to its owner and admins. */
export function pinsByAdminsOnly(doc: Y.Doc): boolean {
  return metaOf(doc).get('kind') === 'group' && metaOf(doc).get('pinsByAdmins') === true;
}

/** Whether `userId` may pin and unpin in this conversation now. */
export function mayPin(doc: Y.Doc, userId: string): boolean {
  if (!pinsByAdminsOnly(doc)) return true;
  const role = membersOf(doc)[userId]?.role;
  return role === 'owner' || role === 'admin';
}
