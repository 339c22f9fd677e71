/** Messages of the schema's shape (shared/schema.ts), written the way the client writes them. */
import type * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, type Message } from '../../shared/schema.js';

const WORDS = [
  'see',
  'you',
  'at',
  'the',
  'station',
  'tomorrow',
  'coffee',
  'train',
  'late',
  'again',
  'thanks',
  'ok',
  'great',
  'idea',
  'maybe',
  'later',
];

/** A chat-like text of about 60 characters (varies with `n`). */
export function textFor(n: number): string {
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < 55; i++) {
    const word = WORDS[(n * 7 + i * 3) % WORDS.length];
    words.push(word);
    length += word.length + 1;
  }
  return `#${n} ${words.join(' ')}`;
}

export function newMessage(author: string, n: number): Message {
  return { id: newMessageId(), author, kind: 'text', text: textFor(n), createdAt: Date.now() };
}

/** Adds one message in its own transaction (one update, one frame); returns its id. */
export function sendMessage(doc: Y.Doc, author: string, n: number): string {
  const message = newMessage(author, n);
  messagesOf(doc).set(message.id, message);
  return message.id;
}

/** Adds `count` messages in one transaction (a bulk load); returns their ids. */
export function addMessages(doc: Y.Doc, author: string, firstN: number, count: number): string[] {
  const ids: string[] = [];
  doc.transact(() => {
    const messages = messagesOf(doc);
    for (let i = 0; i < count; i++) {
      const message = newMessage(author, firstN + i);
      messages.set(message.id, message);
      ids.push(message.id);
    }
  });
  return ids;
}
