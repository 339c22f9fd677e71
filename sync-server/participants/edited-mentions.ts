/**
 * Mentions added by an edit (issue 15): someone edits "hi" into "hi @Bob".
 * As in Telegram and Slack, the person a message newly mentions is told
 * once: their @ badge in the list (mention-marks.ts) and a mention push
 * (push-notifier.ts). Only the names the edit added count, so fixing a typo
 * in a message that already mentioned Bob tells him nothing again. Only
 * numbered messages: an edit before the number is read with the message
 * when it is numbered. Noted when the edit arrives (the old text is in the
 * event only then), acted on once stored, like everything the participants do.
 */
import type * as Y from 'yjs';
import { messagesOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { mentionedMembers } from './mention-marks.js';

/** A numbered message whose edit mentions people it did not mention before. */
export interface EditedMention {
  messageId: string;
  seq: number;
  /** The members newly mentioned. */
  added: string[];
}

/** What a change of the `messages` map added as mentions (read in the observer: the old values live only there). */
export function mentionsAddedBy(doc: Y.Doc, event: Y.YMapEvent<Message>): EditedMention[] {
  const found: EditedMention[] = [];
  const messages = messagesOf(doc);
  if (!replacesAValue(messages, event)) return found;
  const seq = seqIndexOf(doc);
  for (const [messageId, change] of event.changes.keys) {
    if (change.action !== 'update') continue;
    const number = seq.get(messageId);
    if (typeof number !== 'number') continue;
    const before = new Set(mentionedMembers(doc, change.oldValue as Message | undefined));
    const added = mentionedMembers(doc, messages.get(messageId)).filter((userId) => !before.has(userId));
    if (added.length > 0) found.push({ messageId, seq: number, added });
  }
  return found;
}

/**
 * Adds what a change of `messages` added as mentions to `noted`, made at the
 * first one (most rooms never see an edit that mentions); returns the list.
 * For participants that follow `messages` through their room (participant.ts).
 */
export function noteEditedMentions(noted: EditedMention[] | null, doc: Y.Doc, event: Y.YMapEvent<Message>): EditedMention[] | null {
  const found = mentionsAddedBy(doc, event);
  if (found.length === 0) return noted;
  if (!noted) return found;
  // Bounded by the edits of one stored batch: taken after each.
  noted.push(...found);
  return noted;
}

/**
 * Whether a key of the change may have had its value replaced (an edit).
 * Yjs calls a key's change an 'update' only when the key's current item has
 * a left neighbour, the value it replaced; a new message's item has none. So
 * when no changed key's item has one, `event.changes` (which Yjs computes
 * for every key, on every message the relay applies) would hold no 'update'
 * and need not be computed (issue 14).
 */
function replacesAValue(messages: Y.Map<Message>, event: Y.YMapEvent<Message>): boolean {
  for (const key of event.keysChanged) {
    const item = messages._map.get(key);
    if (item === undefined || item.left !== null) return true;
  }
  return false;
}

/**
 * Follows one document's edits with an observer of its own: `take()` hands
 * over, once, what was added since the last call. Stop it when done. The
 * server's participants note them through their room instead
 * (`noteEditedMentions`).
 */
export class EditedMentions {
  private noted: EditedMention[] = [];
  private readonly messages: Y.Map<Message>;

  constructor(private readonly doc: Y.Doc) {
    this.messages = messagesOf(doc);
    this.messages.observe(this.onChange);
  }

  take(): EditedMention[] {
    const taken = this.noted;
    this.noted = [];
    return taken;
  }

  stop(): void {
    this.messages.unobserve(this.onChange);
  }

  private readonly onChange = (event: Y.YMapEvent<Message>): void => {
    this.noted = noteEditedMentions(this.noted, this.doc, event) ?? this.noted;
  };
}
