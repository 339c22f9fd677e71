/**
 * Mention marks for the list's @ badge (issue 15): for each member of a
 * group, the number of the newest message that mentions them
 * (shared/mentions.ts). The heads carry it to each member as `mentionSeq`
 * (shared/heads.ts); the badge shows while it is above their read marker.
 * Read from the conversation's document, like the read markers, so a room
 * loaded again finds the same marks: on load from the newest messages, then
 * from each stored batch's numbered messages, and from edits that add a
 * mention (edited-mentions.ts: told once, as in Telegram and Slack).
 */
import type * as Y from 'yjs';
import { mentionsName } from '../../shared/mentions.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { membersOf, messagesOf, metaOf, readsOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';

/** How many of the newest messages a load looks through: a mention further back than this is long read or long forgotten. */
export const MENTION_SCAN_MESSAGES = 200;

/** Member id → the newest message number that mentions them. */
export type MentionMarks = Map<string, number>;

/** The members (not the author, not the robot) a group message mentions; none outside groups. */
export function mentionedMembers(doc: Y.Doc, message: Message | undefined): string[] {
  if (!message || message.deleted || message.kind === 'system' || !message.text.includes('@')) return [];
  if (metaOf(doc).get('kind') !== 'group') return [];
  const mentioned: string[] = [];
  for (const [userId, member] of Object.entries(membersOf(doc))) {
    if (userId === message.author || userId === ROBOT_USER_ID) continue;
    if (mentionsName(message.text, member.name)) mentioned.push(userId);
  }
  return mentioned;
}

/** The marks of a conversation as stored: the newest `MENTION_SCAN_MESSAGES` numbered messages, unread ones only. */
export function mentionMarksOnLoad(doc: Y.Doc): MentionMarks {
  const marks: MentionMarks = new Map();
  if (metaOf(doc).get('kind') !== 'group') return marks;
  const numbered: Array<[string, number]> = [];
  seqIndexOf(doc).forEach((seq, messageId) => {
    if (typeof seq === 'number') numbered.push([messageId, seq]);
  });
  numbered.sort((a, b) => b[1] - a[1]);
  const reads = readsOf(doc);
  const messages = messagesOf(doc);
  for (const [messageId, seq] of numbered.slice(0, MENTION_SCAN_MESSAGES)) {
    for (const userId of mentionedMembers(doc, messages.get(messageId))) {
      const read = reads.get(userId);
      if (seq > (typeof read === 'number' ? read : 0) && seq > (marks.get(userId) ?? 0)) marks.set(userId, seq);
    }
  }
  return marks;
}

/** Where a conversation's marks are kept: null until the first (most conversations have none). */
export interface MentionHolder {
  mentions: MentionMarks | null;
}

/** Raises `userId`'s mark to `seq`, making the marks at the first; true when it moved. */
export function raiseMention(holder: MentionHolder, userId: string, seq: number): boolean {
  if (seq <= (holder.mentions?.get(userId) ?? 0)) return false;
  (holder.mentions ??= new Map()).set(userId, seq);
  return true;
}

/**
 * Raises the marks by what a stored batch numbered; the members whose mark
 * moved (one named again if it moved again), or null when none did. Nothing
 * is made for a batch that mentions nobody: this runs for every stored batch.
 */
export function noteMentions(
  holder: MentionHolder,
  doc: Y.Doc,
  numbered: ReadonlyArray<{ messageId: string; seq: number }>,
): string[] | null {
  let moved: string[] | null = null;
  const messages = messagesOf(doc);
  for (const { messageId, seq } of numbered) {
    for (const userId of mentionedMembers(doc, messages.get(messageId))) {
      if (raiseMention(holder, userId, seq)) (moved ??= []).push(userId);
    }
  }
  return moved;
}
