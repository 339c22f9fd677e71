/**
 * Where the unread part of an open conversation starts, and how much of it
 * there is: the list opens at the first unread message under a "New
 * messages" divider, and its jump-to-latest button counts what is below.
 * Same rule as the badge (`shared/unread.ts`): messages by others,
 * numbered after my read marker, not deleted. Pure.
 */

/** What the rule reads of a listed message. */
export interface UnreadCandidate {
  message: { id: string; author: string; deleted?: boolean };
  seq: number | undefined;
}

function isUnread(entry: UnreadCandidate, readUpTo: number, meId: string): boolean {
  return entry.seq !== undefined && entry.seq > readUpTo && entry.message.author !== meId && !entry.message.deleted;
}

/** The id of the first unread message (display order), or undefined when all is read. */
export function firstUnreadId(messages: readonly UnreadCandidate[], readUpTo: number, meId: string): string | undefined {
  return messages.find((entry) => isUnread(entry, readUpTo, meId))?.message.id;
}

/** How many messages are unread. */
export function unreadIn(messages: readonly UnreadCandidate[], readUpTo: number, meId: string): number {
  let count = 0;
  for (const entry of messages) if (isUnread(entry, readUpTo, meId)) count++;
  return count;
}
