/**
 * The one message builder of our tests, server and client alike: a text
 * message valid under today's rules (shared/message-rules.ts: a message id,
 * a whole-millisecond time between 2000 and 2100), and the way the client
 * writes one into a conversation document. A test that needs an invalid
 * message says so with `overrides`.
 */
import type * as Y from 'yjs';
import { newMessageId } from '../message-id.js';
import { isMessageTime } from '../message-rules.js';
import { messagesOf, type Message } from '../schema.js';

/**
 * A text message by `author`, written now unless `overrides` give another
 * time. Its id is made from that time, as the client makes it, but only from
 * a time the rules allow: an id made from a hostile time (1e300) would push
 * every later id past it.
 */
export function textMessage(author: string, text: string, overrides: Partial<Message> = {}): Message {
  const createdAt = overrides.createdAt ?? Date.now();
  return { id: newMessageId(isMessageTime(createdAt) ? createdAt : Date.now()), author, kind: 'text', text, createdAt, ...overrides };
}

/** Writes a text message by `author` into `doc` as the client writes one; returns it. */
export function writeMessage(doc: Y.Doc, author: string, text: string, overrides: Partial<Message> = {}): Message {
  const message = textMessage(author, text, overrides);
  messagesOf(doc).set(message.id, message);
  return message;
}

/** Edits the text of a message in `doc` as the client's edit does (the same entry, marked edited); returns the new version. */
export function editText(doc: Y.Doc, messageId: string, text: string): Message {
  const previous = messagesOf(doc).get(messageId);
  if (!previous) throw new Error(`no message ${messageId} to edit`);
  const next: Message = { ...previous, text, editedAt: Math.max(Date.now(), previous.createdAt) };
  messagesOf(doc).set(messageId, next);
  return next;
}
