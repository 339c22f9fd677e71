/**
 * What a push says. With content shown: the sender (and the group), the
 * newest text and, when several arrived, how many; with content hidden,
 * only "New message" or "3 new messages" — the push service never sees
 * either (the payload is encrypted), but a locked screen would. In the
 * device's language (sync-server/i18n/push-texts.ts).
 */
import { notificationTag, type PushPayload } from '../../shared/push-payload.js';
import type { MessageKind } from '../../shared/schema.js';
import type { SystemEvent } from '../../shared/system-events.js';
import { pushWords } from '../i18n/push-texts.js';
import type { ServerLocale } from '../i18n/request-locale.js';

const SNIPPET_MAX = 140;

/** The newest message of a conversation for one person, as the notifier saw it. */
export interface Notice {
  conversationId: string;
  /** The sender's name as a member (null for a system message, or a sender no longer listed: "Someone" in the device's language). */
  author: string | null;
  /** Set for groups: the group's name. */
  groupTitle: string | null;
  kind: MessageKind;
  /** The message's text; a file's name for a file. */
  text: string;
  /** Set when the robot wrote it: its name is worded per language. */
  fromRobot?: boolean;
  /** A system message's event, worded per language (`text` is its English wording). */
  event?: SystemEvent;
  /** Unread messages in the conversation for this person. */
  count: number;
}

export function payloadOf(notice: Notice, showContent: boolean, badge: number, locale: ServerLocale): PushPayload {
  const words = pushWords(locale);
  const count = Math.max(1, notice.count);
  const many = words.newMessages(count);
  const base = {
    v: 1 as const,
    conversationId: notice.conversationId,
    tag: notificationTag(notice.conversationId),
    count,
    badge,
    url: `/c/${encodeURIComponent(notice.conversationId)}`,
  };
  if (!showContent) return { ...base, title: words.appName, body: many };
  const author = notice.kind === 'system' ? null : notice.fromRobot ? words.robotName : (notice.author ?? words.someone);
  const who = author ?? notice.groupTitle ?? words.appName;
  const title = notice.groupTitle && author ? words.authorInGroup(author, notice.groupTitle) : who;
  const text = bodyOf(notice, words);
  const snippet = text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX)}…` : text;
  return { ...base, title, body: count === 1 ? snippet : `${snippet}\n${many}` };
}

/** The push's text: a picture, a file or a voice message marked as such, a system message worded in the device's language. */
function bodyOf(notice: Notice, words: ReturnType<typeof pushWords>): string {
  if (notice.kind === 'image') return `📷 ${notice.text || words.picture}`;
  if (notice.kind === 'file') return `📎 ${notice.text}`;
  if (notice.kind === 'voice') return `🎤 ${words.voice}`;
  return notice.event ? words.systemText(notice.event) : notice.text;
}
