/**
 * Records, at every connection, when each message arrives: latency from
 * its send, duplicates, messages that reach the wrong room, and (on a
 * sequencing relay) when the writer sees its message's number.
 */
import type * as Y from 'yjs';
import { messagesOf, type Message } from '../../shared/schema.js';
import { observeNumbered } from '../../shared/seq-index.js';
import type { SyncClient } from './sync-client.js';

interface Sent {
  at: number;
  room: number;
  /** The connection (index in its room) that wrote it. */
  writer: number;
}

export class DeliveryLog {
  readonly latencies: number[] = [];
  readonly acks: number[] = [];
  readonly problems: string[] = [];
  duplicates = 0;
  lastDeliveryAt = 0;
  private readonly sent = new Map<string, Sent>();

  /** Starts watching one connection's replica; `watchAcks` also times the numbers of its own messages. */
  watch(client: SyncClient, room: number, index: number, watchAcks: boolean): void {
    const seen = new Set<string>();
    messagesOf(client.doc).observe((event: Y.YMapEvent<Message>) => {
      if (event.transaction.local) return; // its own message
      const now = performance.now();
      for (const id of event.keysChanged) this.arrived(id, room, seen, now);
    });
    if (!watchAcks) return;
    observeNumbered(client.doc, (ids) => {
      const now = performance.now();
      for (const id of ids) {
        const sent = this.sent.get(id);
        if (sent && sent.room === room && sent.writer === index) this.acks.push(now - sent.at);
      }
    });
  }

  recordSend(id: string, room: number, writer: number, at: number): void {
    this.sent.set(id, { at, room, writer });
  }

  private arrived(id: string, room: number, seen: Set<string>, now: number): void {
    const sent = this.sent.get(id);
    if (!sent) return;
    if (sent.room !== room) this.problems.push(`a message of room ${sent.room} reached room ${room}`);
    if (seen.has(id)) {
      this.duplicates++;
      return;
    }
    seen.add(id);
    this.latencies.push(now - sent.at);
    this.lastDeliveryAt = now;
  }
}
