/**
 * The one ordering rule every replica applies: messages the server has
 * sequenced come first, by their number; messages not yet sequenced follow,
 * by their author's clock and then by id (so the tie-break is the same on
 * every screen). Client clocks never order sequenced messages.
 */
import type * as Y from 'yjs';
import { messagesOf, type Message } from './schema.js';
import { seqIndexOf } from './seq-index.js';

export type DeliveryState = 'pending' | 'delivered';

export interface OrderedMessage {
  message: Message;
  /** The server's sequence number, or undefined while pending. */
  seq: number | undefined;
  state: DeliveryState;
}

export function compareOrdered(a: OrderedMessage, b: OrderedMessage): number {
  if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq;
  if (a.seq !== undefined) return -1;
  if (b.seq !== undefined) return 1;
  const [timeA, timeB] = [sortableTime(a.message), sortableTime(b.message)];
  if (timeA !== timeB) return timeA - timeB;
  return a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0;
}

/** A message's time for ordering: an old document may hold a time that is not a finite number (issue 20). */
function sortableTime(message: Message): number {
  const time: unknown = message.createdAt;
  return typeof time === 'number' && Number.isFinite(time) ? time : 0;
}

/** Every message of a conversation document, in display order. */
export function orderedMessages(doc: Y.Doc): OrderedMessage[] {
  const seq = seqIndexOf(doc);
  const result: OrderedMessage[] = [];
  messagesOf(doc).forEach((message, id) => {
    const number = seq.get(id);
    result.push({ message, seq: number, state: number === undefined ? 'pending' : 'delivered' });
  });
  return result.sort(compareOrdered);
}
