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
 * Numbers are appended to the document's `numbers` array, one chunk per
 * server change (shared/seq-index.ts, docs/SEQ.md); a document numbered
 * before keeps its `seq` map, read alongside, and is never rewritten.
 *
 * History segments (docs/SEGMENTS.md): only the newest segment of a
 * conversation numbers. Its counter never starts below the segment's
 * `firstSeq`, and it also numbers, on request, messages that arrived late in
 * an older segment (`numberForeign`). An older segment's sequencer is
 * closed: what reaches it waits (`takeLate`) until the newest has given it a
 * number, which it then copies in (`adopt`).
 */
import type * as Y from 'yjs';
import { ConvRoot, messagesOf, seqOf, type Message } from '../../shared/schema.js';
import { idsAddedBy, numbersElements, numbersOf, seqIndexOf, type NumbersElement, type SeqIndex } from '../../shared/seq-index.js';
import { observeLean } from './observe-lean.js';
import type { NumberedMessage, RoomEvent, ServerParticipant } from './participant.js';
import { SERVER_ORIGIN } from './server-origin.js';

/** What `sequencePending` renumbers when nothing came back: shared, so a batch with no returned number makes no list (issue 14). */
const NO_IDS: readonly string[] = [];

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

/**
 * In a room the sequencer follows `messages` through the room's one observer
 * of that type (room-participants.ts: `onRoomLoaded` returns this state and
 * `messagesChanged` is called); alone, as in its unit tests, it observes the
 * type itself.
 */
export type FollowingMessages = 'through-the-room' | 'itself';

export class Sequencer implements ServerParticipant<true> {
  readonly name = 'sequencer';
  private nextNumber: number;
  /** Messages waiting for their number; made when one waits and let go once numbered (issue 14: an empty set is ~0.2 KiB of a loaded room). */
  private unsequenced: Set<string> | null = null;
  /**
   * Keys whose number came from a client (the server's own lost numbers coming back), not yet judged; made when
   * one comes (issue 14: an empty set is ~0.15 KiB of a loaded room's heap, and this one is rarely needed).
   */
  private returned: Set<string> | null = null;
  /** Messages that got their number since the last `takeNumbered`, in number order. */
  private numbered: NumberedMessage[] = [];
  private readonly messages: Y.Map<Message>;
  /** Every number of this document, both places (shared/seq-index.ts). */
  private readonly seq: SeqIndex;
  private readonly numbers: Y.Array<NumbersElement>;
  /**
   * The `seq` map documents numbered before `numbers` keep (read through `seq`; here only to see a change touch
   * it). Null while the document has none: made only when it holds one (issue 14: an empty map and its observer
   * were ~0.5 KiB of every loaded conversation, and no conversation made since issue 14 has one).
   */
  private legacySeq: Y.Map<number> | null = null;
  /** Closed: this is no longer its conversation's newest segment, and it never numbers on its own again. */
  private closed: boolean;
  /** Messages stored in a closed segment and not numbered yet: the newest segment numbers them. Made when one waits. */
  private late: Set<string> | null = null;
  /** Observers, set in the constructor rather than as field initializers (which `tsx` names at a cost per room: issue 14). */
  private readonly onMessagesChange: ((event: Y.YMapEvent<Message>) => void) | null;
  private readonly onNumbersChange: (event: Y.YArrayEvent<NumbersElement>) => void;
  private readonly onLegacyChange: (event: Y.YMapEvent<number>) => void;
  /** Ids this sequencer appended inside a client's transaction (`numberWithin`): its observer must not take them for returned numbers. */
  private ownInClientTransaction: { transaction: Y.Transaction; ids: Set<string> } | null = null;

  /**
   * `position`: whether this document is its conversation's newest segment
   * and the first number its segment may give (1 for segment 0); the
   * defaults are those of a conversation of one segment.
   */
  constructor(
    private readonly doc: Y.Doc,
    position: SequencerPosition = { newest: true, firstSeq: 1 },
    following: FollowingMessages = 'itself',
  ) {
    this.closed = !position.newest;
    this.messages = messagesOf(doc);
    this.seq = seqIndexOf(doc);
    this.numbers = numbersOf(doc);
    this.nextNumber = Math.max(this.seq.highest + 1, position.firstSeq);
    // Messages stored before a crash between apply and sequencing get their number now.
    this.messages.forEach((_, id) => {
      if (!this.seq.has(id)) this.waitForNumber(id);
    });
    this.onMessagesChange = following === 'itself' ? (event) => this.messagesChanged(event) : null;
    if (this.onMessagesChange) this.messages.observe(this.onMessagesChange);
    this.onNumbersChange = (event) => {
      const ids = idsAddedBy(event);
      if (ids.length > 0) this.noteNumbered(ids, event.transaction);
    };
    this.onLegacyChange = (event) => {
      const legacy = event.target;
      const ids = [...event.keysChanged].filter((id) => legacy.has(id));
      if (ids.length > 0) this.noteNumbered(ids, event.transaction);
    };
    observeLean(this.numbers, this.onNumbersChange);
    if (doc.share.has(ConvRoot.seq)) this.followLegacySeq();
  }

  /** Messages stored by a process that died before numbering them get their numbers now (an empty server change). */
  onRoomLoaded({ room }: RoomEvent): true {
    // A failure is the room's: it logs it and is loaded again, and this runs again then.
    if (this.hasWork) room.serverChange(() => {}).catch(() => {});
    // A state, so the room calls `messagesChanged` (its one observer of `messages`).
    return true;
  }

  /** Messages new to the document wait for their number (a client's change, or a server's: the robot's). */
  messagesChanged(event: Y.YMapEvent<Message>): void {
    for (const key of event.keysChanged) {
      if (this.messages.has(key) && !this.seq.has(key)) this.waitForNumber(key);
    }
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
    this.followNewLegacySeq();
    return (this.unsequenced?.size ?? 0) > 0 || (this.returned?.size ?? 0) > 0;
  }

  /** Where this sequencer stands now: a sequencer made at this position on the same document continues exactly here (a room waking, room-dormancy.ts). */
  get position(): SequencerPosition {
    return { newest: !this.closed, firstSeq: this.nextNumber };
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
    for (const id of this.late ?? []) this.waitForNumber(id);
    this.late = null;
    this.sequencePending();
  }

  /** The messages of a closed segment waiting for a number from the newest segment; they are kept until `adopt`. */
  lateMessages(): string[] {
    return [...(this.late ?? [])].sort();
  }

  /**
   * Numbers messages stored in an older segment of the same conversation,
   * in this (the newest) segment's numbers, in a server change: the number
   * is stored with the counter. An id already numbered here keeps its number
   * (a request repeated after a crash). Null when this segment is closed.
   */
  numberForeign(messageIds: readonly string[]): Map<string, number> | null {
    if (this.closed) return null;
    const numbers = new Map<string, number>();
    const given: Array<[string, number]> = [];
    for (const id of messageIds) {
      const existing = numbers.get(id) ?? this.seq.get(id);
      if (existing !== undefined) numbers.set(id, existing);
      else {
        numbers.set(id, this.nextNumber);
        given.push([id, this.nextNumber++]);
      }
    }
    this.append(given);
    return numbers;
  }

  /** Copies the numbers the newest segment gave this closed segment's late messages (in a server change); they count as numbered here. */
  adopt(numbers: ReadonlyMap<string, number>): void {
    const adopted: NumberedMessage[] = [];
    const copied: Array<[string, number]> = [];
    for (const [id, seq] of numbers) {
      this.late?.delete(id);
      if (!this.messages.has(id)) continue;
      if (this.seq.get(id) !== seq) copied.push([id, seq]);
      adopted.push({ messageId: id, seq });
    }
    this.append(copied);
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
    const renumber = this.returned ? this.keepReturnedNumbers() : NO_IDS;
    const ids = [...(this.unsequenced ?? [])].sort();
    this.unsequenced = null;
    // Pairs in the order given, each id once: a returned id renumbered first is not numbered again below.
    const given: Array<[string, number]> = [];
    const renumbered = renumber.length > 0 ? new Set<string>() : null;
    for (const id of renumber) {
      if (renumbered?.has(id)) continue;
      renumbered?.add(id);
      given.push([id, this.number(id)]);
    }
    for (const id of ids) {
      if (!renumbered?.has(id) && !this.seq.has(id) && this.messages.has(id)) given.push([id, this.number(id)]);
    }
    this.append(given);
  }

  /**
   * Numbers the messages a client's update just brought, inside that
   * update's own transaction (issue 14): the document then emits one update
   * with the messages and their numbers, which the room stores and sends as
   * it is, instead of a second transaction whose update it had to merge
   * with the client's (`Y.mergeUpdates`, a decode and encode of both, per
   * message). Messages are found in the transaction's changed keys, as the
   * observer would after it. Returns false, numbering nothing, when the
   * update touched the numbers themselves (a replica handing back numbers
   * the store lost): those are judged by `beforeStore` after the
   * transaction, in a server change of its own, as before.
   */
  numberWithin(transaction: Y.Transaction): boolean {
    // Keyed by Yjs's base type, which TypeScript cannot match with a concrete map's; looked up by identity.
    const changed: ReadonlyMap<unknown, Set<string | null>> = transaction.changed;
    // The legacy root as the document holds it now: a replica may have just brought the first one (`followNewLegacySeq`).
    const legacy = this.doc.share.get(ConvRoot.seq);
    if (changed.has(this.numbers) || (legacy && changed.has(legacy))) return false;
    const keys = changed.get(this.messages);
    if (!keys) return false;
    for (const key of keys) {
      if (key !== null && this.messages.has(key) && !this.seq.has(key)) this.waitForNumber(key);
    }
    const before = this.numbered.length;
    this.sequencePending();
    if (this.numbered.length === before) return false;
    const ids = new Set<string>();
    for (let i = before; i < this.numbered.length; i++) ids.add(this.numbered[i].messageId);
    this.ownInClientTransaction = { transaction, ids };
    return true;
  }

  /** Appends numbers to `numbers` in one server change (or in the client's transaction under way): one chunk per run, so a batch is one struct. */
  private append(pairs: Iterable<readonly [string, number]>): void {
    const elements = numbersElements(pairs);
    if (elements.length === 0) return;
    this.doc.transact(() => this.numbers.push(elements), SERVER_ORIGIN);
  }

  private waitForNumber(id: string): void {
    (this.unsequenced ??= new Set()).add(id);
  }

  /** Notes the numbers a change by someone else gave (a replica returning lost ones); the server's own are not returned. */
  private noteNumbered(ids: readonly string[], transaction: Y.Transaction): void {
    if (transaction.origin === SERVER_ORIGIN) return;
    const own = this.ownInClientTransaction?.transaction === transaction ? this.ownInClientTransaction.ids : null;
    this.ownInClientTransaction = null;
    this.noteReturned(ids, own);
  }

  /** Numbers that came from outside, but for those this sequencer wrote itself inside the same transaction (`own`). */
  private noteReturned(ids: Iterable<string>, own: ReadonlySet<string> | null): void {
    for (const id of ids) if (this.seq.has(id) && !own?.has(id)) (this.returned ??= new Set()).add(id);
  }

  /** Observes the legacy `seq` map, made (or typed, from Yjs's placeholder) now that the document holds one. */
  private followLegacySeq(): Y.Map<number> {
    const legacy = seqOf(this.doc);
    observeLean(legacy, this.onLegacyChange);
    this.legacySeq = legacy;
    return legacy;
  }

  /**
   * A document loaded without a `seq` map that now holds one: only a replica
   * brings it (the server writes `numbers`), handing back numbers of a
   * document the store lost. Its observer was not there to see them come,
   * so every entry is noted as returned, as the observer would have. Called
   * after the change (`hasWork`, `sequencePending`), never inside it.
   */
  private followNewLegacySeq(): void {
    if (this.legacySeq || !this.doc.share.has(ConvRoot.seq)) return;
    const legacy = this.followLegacySeq();
    this.noteReturned(legacy.keys(), null);
  }

  /** In a closed segment every unnumbered message (and every number a replica brought back) waits for the newest segment's. */
  private holdLate(): void {
    for (const id of [...(this.unsequenced ?? []), ...(this.returned ?? [])]) if (this.messages.has(id)) (this.late ??= new Set()).add(id);
    this.unsequenced = null;
    this.returned = null;
  }

  /** The next number for `messageId`, noted as numbered; the caller appends it. */
  private number(messageId: string): number {
    const seq = this.nextNumber++;
    this.numbered.push({ messageId, seq });
    return seq;
  }

  /**
   * Keeps each returned number that continues the order, lowest first;
   * returns the keys whose number must be replaced, in their returned order.
   */
  private keepReturnedNumbers(): string[] {
    const returned = [...(this.returned ?? [])]
      .map((id) => ({ id, number: this.seq.get(id) }))
      .sort((a, b) => order(a.number) - order(b.number) || (a.id < b.id ? -1 : 1));
    this.returned = null;
    const renumber: string[] = [];
    for (const { id, number } of returned) {
      if (number === this.nextNumber) this.numbered.push({ messageId: id, seq: this.nextNumber++ });
      else renumber.push(id);
    }
    return renumber;
  }

  destroy(): void {
    this.numbers.unobserve(this.onNumbersChange);
    this.legacySeq?.unobserve(this.onLegacyChange);
    if (this.onMessagesChange) this.messages.unobserve(this.onMessagesChange);
  }
}
