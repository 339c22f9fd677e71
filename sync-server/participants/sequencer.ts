/**
 * The sequencer gives each message of a conversation the conversation's next
 * number the first time the relay stores it (DESIGN: "seq"). That number is
 * the total order every replica shows and the "delivered" tick.
 *
 * Numbers can also come back from a replica after the store lost them (a
 * restored backup; relay/trust/returning-server-writes.ts). Such a number is kept
 * where it continues the order (the replicas already show it); any other is
 * replaced by the next number, so the order stays without gaps and
 * duplicates whatever a replica (or a member posing as one) sends.
 *
 * It is a server participant (participant.ts) that every conversation room
 * brings itself, first: a conversation without it has no order, so it is
 * not left to the list in server.ts. Its `beforeStore` numbers inside the
 * room's batch, so a message is stored with its number, never without.
 * What a batch numbered is taken by the room once the batch is stored
 * (`takeNumbered`) and handed to the others' `afterStore`.
 *
 * History segments (docs/SEGMENTS.md): only the newest segment of a
 * conversation numbers. Its counter never starts below the segment's
 * `firstSeq`, and it also numbers, on request, messages that arrived late in
 * an older segment (`numberForeign`). An older segment's sequencer is
 * closed: what reaches it waits (`takeLate`) until the newest has given it a
 * number, which it then copies in (`adopt`).
 */
import type * as Y from 'yjs';
import { messagesOf, seqOf, type Message } from '../../shared/schema.js';
import type { NumberedMessage, RoomEvent, ServerParticipant } from './participant.js';
import { SERVER_ORIGIN } from './server-origin.js';

/** Sort key of a returned value: numbers by size, anything else last. */
function order(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}

/** Where a segment stands in its conversation when loaded (docs/SEGMENTS.md). */
export interface SequencerPosition {
  /** Whether it is the conversation's newest segment (the only one that numbers). */
  newest: boolean;
  /** The lowest number it may give: its segment list entry's `firstSeq`. */
  firstSeq: number;
}

export class Sequencer implements ServerParticipant {
  readonly name = 'sequencer';
  private nextNumber: number;
  private readonly unsequenced = new Set<string>();
  /** Keys whose number came from a client (the server's own lost numbers coming back), not yet judged. */
  private readonly returned = new Set<string>();
  /** Messages that got their number since the last `takeNumbered`, in number order. */
  private numbered: NumberedMessage[] = [];
  private readonly messages: Y.Map<Message>;
  private readonly seq: Y.Map<number>;
  /** Closed: this is no longer its conversation's newest segment, and it never numbers on its own again. */
  private closed: boolean;
  /** Messages stored in a closed segment and not numbered yet: the newest segment numbers them. */
  private readonly late = new Set<string>();
  /** Observers, set in the constructor rather than as field initializers (which `tsx` names at a cost per room: issue 14). */
  private readonly onMessagesChange: (event: Y.YMapEvent<Message>) => void;
  private readonly onSeqChange: (event: Y.YMapEvent<number>) => void;

  /**
   * `position`: whether this document is its conversation's newest segment
   * and the first number its segment may give (1 for segment 0); the
   * defaults are those of a conversation of one segment.
   */
  constructor(
    private readonly doc: Y.Doc,
    position: SequencerPosition = { newest: true, firstSeq: 1 },
  ) {
    this.closed = !position.newest;
    this.onMessagesChange = (event) => {
      for (const key of event.keysChanged) {
        if (this.messages.has(key) && !this.seq.has(key)) this.unsequenced.add(key);
      }
    };
    this.onSeqChange = (event) => {
      if (event.transaction.origin === SERVER_ORIGIN) return;
      for (const key of event.keysChanged) if (this.seq.has(key)) this.returned.add(key);
    };
    this.messages = messagesOf(doc);
    this.seq = seqOf(doc);
    let highest = 0;
    this.seq.forEach((number) => {
      if (typeof number === 'number' && number > highest) highest = number;
    });
    this.nextNumber = Math.max(highest + 1, position.firstSeq);
    // Messages stored before a crash between apply and sequencing get their number now.
    this.messages.forEach((_, id) => {
      if (!this.seq.has(id)) this.unsequenced.add(id);
    });
    this.messages.observe(this.onMessagesChange);
    this.seq.observe(this.onSeqChange);
  }

  /** Messages stored by a process that died before numbering them get their numbers now (an empty server change). */
  onRoomLoaded({ room }: RoomEvent): void {
    // A failure is the room's: it logs it and is loaded again, and this runs again then.
    if (this.hasWork) room.serverChange(() => {}).catch(() => {});
  }

  beforeStore(): undefined {
    this.sequencePending();
  }

  onRoomUnloaded(): void {
    this.destroy();
  }

  /**
   * The messages numbered since the last call, in number order: given the
   * next number, or keeping the one they came back with (a returned number
   * is a message new to this store, as any other).
   */
  takeNumbered(): NumberedMessage[] {
    const numbered = this.numbered;
    this.numbered = [];
    return numbered;
  }

  get hasWork(): boolean {
    return this.unsequenced.size > 0 || this.returned.size > 0;
  }

  /** Whether this segment stopped numbering (a newer segment numbers its conversation). */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Stops numbering (rollover: call inside a server change, so every batch
   * before it is numbered and stored); returns the highest number given
   * here, from which the next segment continues.
   */
  close(): number {
    this.closed = true;
    return this.nextNumber - 1;
  }

  /** Numbers again (a rollover that could not write the segment list); what waited is numbered in this batch. */
  reopen(): void {
    this.closed = false;
    for (const id of this.late) this.unsequenced.add(id);
    this.late.clear();
    this.sequencePending();
  }

  /** The messages of a closed segment waiting for a number from the newest segment; they are kept until `adopt`. */
  lateMessages(): string[] {
    return [...this.late].sort();
  }

  /**
   * Numbers messages stored in an older segment of the same conversation,
   * in this (the newest) segment's `seq` map, in a server change: the number
   * is stored with the counter. An id already numbered here keeps its number
   * (a request repeated after a crash). Null when this segment is closed.
   */
  numberForeign(messageIds: readonly string[]): Map<string, number> | null {
    if (this.closed) return null;
    const numbers = new Map<string, number>();
    this.doc.transact(() => {
      for (const id of messageIds) {
        const existing = this.seq.get(id);
        if (typeof existing === 'number') numbers.set(id, existing);
        else {
          numbers.set(id, this.nextNumber);
          this.seq.set(id, this.nextNumber++);
        }
      }
    }, SERVER_ORIGIN);
    return numbers;
  }

  /** Copies the numbers the newest segment gave this closed segment's late messages (in a server change); they count as numbered here. */
  adopt(numbers: ReadonlyMap<string, number>): void {
    const adopted: NumberedMessage[] = [];
    this.doc.transact(() => {
      for (const [id, seq] of numbers) {
        this.late.delete(id);
        if (!this.messages.has(id)) continue;
        if (this.seq.get(id) !== seq) this.seq.set(id, seq);
        adopted.push({ messageId: id, seq });
      }
    }, SERVER_ORIGIN);
    this.numbered.push(...adopted.sort((a, b) => a.seq - b.seq));
  }

  /**
   * Numbers every message seen since the last call, in one server
   * transaction, ordered by id (time-sortable) so a batch of offline
   * messages keeps its author's order.
   */
  sequencePending(): void {
    if (!this.hasWork) return;
    if (this.closed) {
      this.holdLate();
      return;
    }
    const renumber = this.keepReturnedNumbers();
    const ids = [...this.unsequenced].sort();
    this.unsequenced.clear();
    this.doc.transact(() => {
      for (const id of renumber) this.number(id);
      for (const id of ids) {
        if (!this.seq.has(id) && this.messages.has(id)) this.number(id);
      }
    }, SERVER_ORIGIN);
  }

  /** In a closed segment every unnumbered message (and every number a replica brought back) waits for the newest segment's. */
  private holdLate(): void {
    for (const id of [...this.unsequenced, ...this.returned]) if (this.messages.has(id)) this.late.add(id);
    this.unsequenced.clear();
    this.returned.clear();
  }

  private number(messageId: string): void {
    const seq = this.nextNumber++;
    this.seq.set(messageId, seq);
    this.numbered.push({ messageId, seq });
  }

  /**
   * Keeps each returned number that continues the order, lowest first;
   * returns the keys whose number must be replaced, in their returned order.
   */
  private keepReturnedNumbers(): string[] {
    const returned = [...this.returned]
      .map((id) => ({ id, number: this.seq.get(id) }))
      .sort((a, b) => order(a.number) - order(b.number) || (a.id < b.id ? -1 : 1));
    this.returned.clear();
    const renumber: string[] = [];
    for (const { id, number } of returned) {
      if (number === this.nextNumber) this.numbered.push({ messageId: id, seq: this.nextNumber++ });
      else renumber.push(id);
    }
    return renumber;
  }

  destroy(): void {
    this.seq.unobserve(this.onSeqChange);
    this.messages.unobserve(this.onMessagesChange);
  }
}
