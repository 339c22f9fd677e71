/**
 * What is unread, one rule for the client's badge and the server's push counts: each member's
 * highest read sequence number lives in the conversation's `reads` map (DESIGN, "Documents");
 * messages by others numbered after it and not deleted are unread.
 */
import type * as Y from 'yjs';
import { messagesOf, readsOf, seqOf } from './schema.js';

/** A member's read marker: the highest sequence number they have read (0 when none). */
export function readMarker(doc: Y.Doc, userId: string): number {
  const value = readsOf(doc).get(userId);
  return typeof value === 'number' ? value : 0;
}

/** Messages by others, sequenced after the member's read marker and not deleted: what the unread badge counts. */
export function unreadCount(doc: Y.Doc, userId: string): number {
  const read = readMarker(doc, userId);
  const seq = seqOf(doc);
  let count = 0;
  messagesOf(doc).forEach((message, id) => {
    const number = seq.get(id);
    if (number !== undefined && number > read && message.author !== userId && !message.deleted) count++;
  });
  return count;
}
