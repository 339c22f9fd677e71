/**
 * What a push says. With content shown: the sender (and the group), the
 * newest text and, when several arrived, how many; with content hidden,
 * only "New message" or "3 new messages" — the push service never sees
 * either (the payload is encrypted), but a locked screen would.
 */
import { notificationTag, type PushPayload } from '../../shared/push-payload.js';

const SNIPPET_MAX = 140;

/** The newest message of a conversation for one person, as the notifier saw it. */
export interface Notice {
  conversationId: string;
  /** The sender's name ("Happy Robot" for the robot; null for a system message). */
  author: string | null;
  /** Set for groups: the group's name. */
  groupTitle: string | null;
  kind: 'text' | 'image' | 'system';
  text: string;
  /** Unread messages in the conversation for this person. */
  count: number;
}

export function payloadOf(notice: Notice, showContent: boolean, badge: number): PushPayload {
  const count = Math.max(1, notice.count);
  const many = count === 1 ? 'New message' : `${count} new messages`;
  const base = {
    v: 1 as const,
    conversationId: notice.conversationId,
    tag: notificationTag(notice.conversationId),
    count,
    badge,
    url: `/c/${encodeURIComponent(notice.conversationId)}`,
  };
  if (!showContent) return { ...base, title: 'Happy Chat', body: many };
  const who = notice.author ?? notice.groupTitle ?? 'Happy Chat';
  const title = notice.groupTitle && notice.author ? `${notice.author} in ${notice.groupTitle}` : who;
  const text = notice.kind === 'image' ? `📷 ${notice.text || 'Picture'}` : notice.text;
  const snippet = text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX)}…` : text;
  return { ...base, title, body: count === 1 ? snippet : `${snippet}\n${many}` };
}
