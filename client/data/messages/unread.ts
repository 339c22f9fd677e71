/**
 * Read positions: each member's highest read sequence number lives in the
 * conversation's `reads` map (DESIGN, "Documents"). From it come unread
 * counts (mine) and read receipts (theirs). Pure functions of a document.
 */
import type * as Y from 'yjs';
import { readsOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';

/** The highest sequence number in the conversation; 0 when nothing is sequenced yet. */
export function highestSequence(doc: Y.Doc): number {
  return seqIndexOf(doc).highest;
}

/** The unread rule itself is shared with the server's push counts. */
export { readMarker, unreadCount } from '../../../shared/unread.js';

/** What a read receipt needs to know about one of my messages. */
export interface ReceiptCandidate {
  id: string;
  author: string;
  seq: number | undefined;
}

export interface ReadReceipt {
  messageId: string;
  /** 'read' in a direct chat; in groups, how many others have read it. */
  readBy: number;
}

/**
 * Where to show a read receipt: in a direct chat, on my newest message the
 * other person has read ("read"); in a group, on my newest delivered message,
 * with how many others have read it ("read by N"). Null when there is none.
 * `messages` are in display order; `reads` excludes nobody, `meId` is skipped.
 */
export function readReceipt(
  messages: readonly ReceiptCandidate[],
  reads: ReadonlyMap<string, number>,
  meId: string,
  kind: 'direct' | 'group',
): ReadReceipt | null {
  const others = [...reads].filter(([userId]) => userId !== meId).map(([, number]) => number);
  if (others.length === 0) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!message || message.author !== meId || message.seq === undefined) continue;
    const seq = message.seq;
    const readBy = others.filter((number) => number >= seq).length;
    if (kind === 'group') return readBy > 0 ? { messageId: message.id, readBy } : null;
    if (readBy > 0) return { messageId: message.id, readBy };
  }
  return null;
}

/** Every member's read marker, as a plain map. */
export function readMarkers(doc: Y.Doc): Map<string, number> {
  const result = new Map<string, number>();
  readsOf(doc).forEach((number, userId) => {
    if (typeof number === 'number') result.set(userId, number);
  });
  return result;
}

/** The page title with the unread total in front: "(3) Happy Chat". */
export function titleWithUnread(total: number, base: string): string {
  return total > 0 ? `(${total > 99 ? '99+' : total}) ${base}` : base;
}
