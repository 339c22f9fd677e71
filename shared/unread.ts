/**
 * What is unread, one rule for the client's badge and the server's push counts: each member's
 * highest read sequence number lives in the conversation's `reads` map (DESIGN, "Documents");
 * messages by others numbered after it and not deleted are unread.
 */
import type * as Y from 'yjs';
import { messagesOf, readsOf } from './schema.js';
import { seqIndexOf } from './seq-index.js';

/** A member's read marker: the highest sequence number they have read (0 when none). */
export function readMarker(doc: Y.Doc, userId: string): number {
  const value = readsOf(doc).get(userId);
  return typeof value === 'number' ? value : 0;
}

/** Messages by others, sequenced after the member's read marker and not deleted: what the unread badge counts. */
export function unreadCount(doc: Y.Doc, userId: string): number {
  const read = readMarker(doc, userId);
  const seq = seqIndexOf(doc);
  let count = 0;
  messagesOf(doc).forEach((message, id) => {
    const number = seq.get(id);
    if (number !== undefined && number > read && message.author !== userId && !message.deleted) count++;
  });
  return count;
}

/**
 * A member's read marker over a conversation's history segments
 * (docs/SEGMENTS.md, "Read markers"): one number for the conversation, the
 * highest found in any segment given.
 */
export function readMarkerAcross(docs: readonly Y.Doc[], userId: string): number {
  return Math.max(0, ...docs.map((doc) => readMarker(doc, userId)));
}

/**
 * What the unread badge counts over a conversation's segments: messages by
 * others numbered after the member's marker (the highest over the segments)
 * and not deleted, each id once (an author may have written it again into a
 * newer segment after a rollover).
 */
export function unreadCountAcross(docs: readonly Y.Doc[], userId: string): number {
  const read = readMarkerAcross(docs, userId);
  const counted = new Set<string>();
  for (const doc of docs) {
    const seq = seqIndexOf(doc);
    messagesOf(doc).forEach((message, id) => {
      const number = seq.get(id);
      if (number !== undefined && number > read && message.author !== userId && !message.deleted) counted.add(id);
    });
  }
  return counted.size;
}

/**
 * How far a member's marker may move over their own messages: the highest
 * number N such that every number after the marker up to N is theirs (or
 * deleted) in `docs`. Writing is reading, and nobody needs to read their own
 * words; a number not found in `docs` (an unopened segment) or someone
 * else's message stops the run, so no message of anyone else is ever passed.
 */
export function ownRunEnd(docs: readonly Y.Doc[], userId: string): number {
  const read = readMarkerAcross(docs, userId);
  const mine = new Map<number, boolean>();
  for (const doc of docs) {
    const seq = seqIndexOf(doc);
    messagesOf(doc).forEach((message, id) => {
      const number = seq.get(id);
      if (number !== undefined && number > read) mine.set(number, message.author === userId || message.deleted === true);
    });
  }
  let end = read;
  // Bounded by the messages found: each step needs the next number among them.
  while (mine.get(end + 1) === true) end++;
  return end;
}
