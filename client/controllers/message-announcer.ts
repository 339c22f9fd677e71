/**
 * What a screen reader hears of a conversation (issue 16): each message that
 * arrives from someone else while it is open, as "author: text", in a polite
 * log. What was there when the conversation opened, and my own messages, are
 * not read out; a burst (a sync after being away) is summed up in one line.
 */
import { systemMessageText } from '../data/messages/system-event-text.js';
import type { Message } from '../../shared/schema.js';

/** More new messages than this at once are announced as a count. */
const BURST = 3;
/** Lines kept in the log (assistive technology reads additions; old lines are only clutter). */
const KEPT_LINES = 5;

/** One line of the log; `key` keeps each line's element its own, so a kept line is not read out again. */
export interface Announcement {
  key: number;
  text: string;
}

export class MessageAnnouncer {
  /** Lines for the live region, oldest first. */
  lines: Announcement[] = [];
  private nextKey = 0;
  private known = new Set<string>();
  private conversationId: string | undefined;

  /**
   * Takes the list as it is now. Returns whether `lines` changed. A new
   * conversation (or the first list) is only remembered.
   */
  update(conversationId: string, messages: readonly Message[], meId: string, nameOf: (userId: string) => string): boolean {
    if (conversationId !== this.conversationId) {
      this.conversationId = conversationId;
      this.known = new Set(messages.map((message) => message.id));
      const had = this.lines.length > 0;
      this.lines = [];
      return had;
    }
    // Messages above the oldest known one are older history (a segment loaded on scroll), not arrivals.
    const firstKnown = messages.findIndex((message) => this.known.has(message.id));
    const arrived = messages.filter((message, index) => !this.known.has(message.id) && index > firstKnown);
    for (const message of messages) this.known.add(message.id);
    const incoming = arrived.filter((message) => message.author !== meId && !message.deleted);
    if (incoming.length === 0) return false;
    const added =
      incoming.length > BURST
        ? [`${incoming.length} new messages`]
        : incoming.map((message) =>
            message.kind === 'system' ? systemMessageText(message) : `${nameOf(message.author)}: ${spoken(message)}`,
          );
    this.lines = [...this.lines, ...added.map((text) => ({ key: this.nextKey++, text }))].slice(-KEPT_LINES);
    return true;
  }
}

function spoken(message: Message): string {
  const pictures = (message.attachments ?? []).length;
  const picture = pictures === 0 ? '' : pictures === 1 ? 'a picture' : `${pictures} pictures`;
  if (!message.text) return picture || 'a message';
  return picture ? `${message.text} (with ${picture})` : message.text;
}
