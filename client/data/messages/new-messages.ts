/**
 * New text messages: the composer's text checked, the message made (its id
 * made at compose time), written once into the local document, and my ones
 * the server has not numbered yet counted. There is no queue of our own: the
 * local document is the queue, and the provider delivers it whenever a
 * connection exists (pictures, which must upload first, have one:
 * `pictures/picture-outbox.ts`).
 */
import { formatNumber } from '../../i18n/formats.js';
import { msg, str } from '@lit/localize';
import type * as Y from 'yjs';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../../shared/limits.js';
import { newMessageId } from '../../../shared/message-id.js';
import { checkMessage, clampMessageTime } from '../../../shared/message-rules.js';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';

export type ComposeResult = { ok: true; text: string } | { ok: false; reason: 'empty' | 'too_long'; message: string };

/** Checks composer text the way the server will: trimmed, not empty, bounded. */
export function composeText(raw: string): ComposeResult {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: 'empty', message: msg('Write something first.') };
  if (text.length > MESSAGE_TEXT_MAX_LENGTH) {
    return {
      ok: false,
      reason: 'too_long',
      message: msg(str`A message can have at most ${formatNumber(MESSAGE_TEXT_MAX_LENGTH)} characters.`),
    };
  }
  return { ok: true, text };
}

export type SendResult =
  | { ok: true; message: Message }
  | Extract<ComposeResult, { ok: false }>
  | { ok: false; reason: 'refused'; message: string };

/**
 * A new text message by `authorId` (answering `replyTo`, if given), with its id made now; nothing is written
 * yet. It is checked with the relay's own rules: an honest client never
 * writes what the relay would refuse (a refusal stops the whole conversation).
 */
export function newTextMessage(authorId: string, raw: string, now: number = Date.now(), replyTo?: string): SendResult {
  const composed = composeText(raw);
  if (!composed.ok) return composed;
  const message: Message = { id: newMessageId(now), author: authorId, kind: 'text', text: composed.text, createdAt: clampMessageTime(now) };
  if (replyTo) message.replyTo = replyTo;
  const refusal = checkMessage(message.id, message, authorId);
  if (refusal) return { ok: false, reason: 'refused', message: refusal.detail };
  return { ok: true, message };
}

/** Adds a text message by `authorId` to a conversation document. */
export function sendTextMessage(doc: Y.Doc, authorId: string, raw: string, now: number = Date.now()): SendResult {
  const result = newTextMessage(authorId, raw, now);
  if (result.ok) messagesOf(doc).set(result.message.id, result.message);
  return result;
}

/** My messages in this conversation that the server has not numbered yet. */
export function pendingCountOf(doc: Y.Doc, userId: string): number {
  const seq = seqIndexOf(doc);
  let count = 0;
  messagesOf(doc).forEach((message, id) => {
    if (message.author === userId && !seq.has(id)) count++;
  });
  return count;
}
