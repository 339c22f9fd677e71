/**
 * The sequencer gives each message of a conversation the conversation's next
 * number the first time the relay stores it (DESIGN: "seq"). That number is
 * the total order every replica shows and the "delivered" tick.
 */
import * as Y from 'yjs';
import { messagesOf, seqOf, type Message } from '../../shared/schema.js';

/** Transaction origin of everything the server writes itself. */
export const SERVER_ORIGIN = Symbol('happy-chat-server');

export class Sequencer {
  private nextNumber: number;
  private readonly unsequenced = new Set<string>();
  private readonly messages: Y.Map<Message>;
  private readonly seq: Y.Map<number>;
  private readonly onMessagesChange = (event: Y.YMapEvent<Message>) => {
    for (const key of event.keysChanged) {
      if (this.messages.has(key) && !this.seq.has(key)) this.unsequenced.add(key);
    }
  };

  constructor(private readonly doc: Y.Doc) {
    this.messages = messagesOf(doc);
    this.seq = seqOf(doc);
    let highest = 0;
    this.seq.forEach((number) => {
      if (typeof number === 'number' && number > highest) highest = number;
    });
    this.nextNumber = highest + 1;
    // Messages stored before a crash between apply and sequencing get their number now.
    this.messages.forEach((_, id) => {
      if (!this.seq.has(id)) this.unsequenced.add(id);
    });
    this.messages.observe(this.onMessagesChange);
  }

  get hasWork(): boolean {
    return this.unsequenced.size > 0;
  }

  /**
   * Numbers every message seen since the last call, in one server
   * transaction, ordered by id (time-sortable) so a batch of offline
   * messages keeps its author's order.
   */
  sequencePending(): void {
    if (this.unsequenced.size === 0) return;
    const ids = [...this.unsequenced].sort();
    this.unsequenced.clear();
    this.doc.transact(() => {
      for (const id of ids) {
        if (!this.seq.has(id) && this.messages.has(id)) this.seq.set(id, this.nextNumber++);
      }
    }, SERVER_ORIGIN);
  }

  destroy(): void {
    this.messages.unobserve(this.onMessagesChange);
  }
}
