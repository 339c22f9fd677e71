/**
 * The history segments of conversations (docs/SEGMENTS.md): where each
 * segment stands (newest or closed, and its first number), rollover when the
 * newest passes the bound, and numbers for messages that arrive late in an
 * older segment. One conversation at a time: rollover and late numbering
 * share a lock per conversation, so a late number is never given by a
 * segment that is closing.
 *
 * The segment list in `conv/<id>` is the one fact that says where numbering
 * continues; it is written after the closing segment stopped numbering and
 * before the new one numbers anything, so `seq` stays 1..N without a gap or
 * a duplicate across segments, also across a crash at any step.
 */
import { convDocName, segmentDocName } from '../../shared/doc-names.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { messagesOf, metaOf, segmentsOf, type SegmentEntry } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import type { SequencerPosition } from '../participants/sequencer.js';
import type { Room } from '../relay/room.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { DocumentCommand } from '../commands/document-command.js';

/** When the newest segment closes: at this many messages or stored bytes; 0 leaves that bound out (both 0: rollover off). */
export interface HistorySegmentBounds {
  messages: number;
  bytes: number;
  /**
   * A new conversation starts its messages in segment 1 (`startInSegmentOne`), so `conv/<id>` holds `meta` and
   * the list only. The product's setting; tests of rollover from segment 0 (the path of every conversation
   * stored before) leave it out.
   */
  newInSegmentOne?: boolean;
}

export const ROLLOVER_OFF: HistorySegmentBounds = { messages: 0, bytes: 0 };

/** The product's bound (docs/SEGMENTS.md, "The bound"): 1,000 messages or 512 KiB stored, whichever comes first; new conversations start in segment 1. */
export const DEFAULT_HISTORY_SEGMENTS: Required<HistorySegmentBounds> = { messages: 1000, bytes: 512 * 1024, newInSegmentOne: true };

/** The little of the document registry segments need: rooms by name, and server changes as named commands (they may travel to another relay). */
export interface SegmentRooms {
  acquire(docName: string): Promise<Room>;
  release(room: Room): void;
  runCommand(command: DocumentCommand): Promise<unknown>;
}

/** A conversation's segment list as `conv/<id>` holds it. */
interface SegmentList {
  newest: number;
  entries: ReadonlyMap<number, SegmentEntry>;
}

export class ConversationSegments {
  private readonly lock = new KeyedLock();
  /** Conversations whose rollover is under way (one at a time). */
  private readonly rolling = new Set<string>();
  /** New conversations moving to segment 1 (`startInSegmentOne`): where the server writes waits for it. */
  private readonly starting = new Map<string, Promise<void>>();

  constructor(
    private readonly rooms: SegmentRooms,
    private readonly bounds: HistorySegmentBounds,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether segments roll over at all (docs/SEGMENTS.md, "The bound"; both bounds 0 turn it off). */
  get rollsOver(): boolean {
    return this.bounds.messages > 0 || this.bounds.bytes > 0;
  }

  /**
   * Where segment `segment` ≥ 1 stands, from the list in `conv/<id>`. A
   * segment the list does not name yet is refused: loaded early, it would
   * never learn that it became the newest.
   */
  async positionOf(conversationId: string, segment: number): Promise<SequencerPosition> {
    const list = await this.readList(conversationId);
    const entry = list.entries.get(segment);
    if (!entry) throw new Error(`segment ${segment} is not in the conversation's list (newest: ${list.newest})`);
    return { newest: segment === list.newest, firstSeq: entry.firstSeq };
  }

  /** The document of the conversation's newest segment: where the server writes its messages and a copy of `meta`. */
  async newestDocName(conversationId: string): Promise<string> {
    // A new conversation's first server message (a group's "created") goes where its messages start: segment 1.
    await this.starting.get(conversationId);
    return segmentDocName(conversationId, (await this.readList(conversationId)).newest);
  }

  /**
   * Copies `meta` of `conv/<id>` into a newer segment that has none yet (it
   * opened, or a crash came between its opening and the copy), so the
   * server's participants read members and kind there as in `conv/<id>`.
   */
  async copyMetaInto(conversationId: string, room: Room): Promise<void> {
    const meta = await this.withRoom(convDocName(conversationId), async (head) => metaOf(head.doc).toJSON());
    await room.serverChange((doc) => {
      const target = metaOf(doc);
      if (target.size > 0) return;
      for (const [key, value] of Object.entries(meta)) target.set(key, value);
    });
  }

  /** After a stored batch of the newest segment: starts its rollover when it passed the bound. */
  rollOverIfFull(conversationId: string, segment: number, room: Room): void {
    if (!this.rollsOver || this.rolling.has(conversationId) || !this.isFull(room)) return;
    this.rolling.add(conversationId);
    this.lock
      .run(conversationId, () => this.rollOver(conversationId, segment, room))
      .catch((error: unknown) =>
        this.log.error('a segment rollover failed', { conversation: conversationId, segment, error: String(error) }),
      )
      .finally(() => this.rolling.delete(conversationId));
  }

  /**
   * Compacts a closed segment's log into one entry (Room.compactLog), so
   * that every later load is one update: a closed segment changes only by
   * late messages. The compaction is one atomic write; a failure leaves the
   * log as it was, and the next load or late message tries again.
   */
  compactClosed(conversationId: string, segment: number, room: Room): void {
    if (room.logEntryCount <= 1 || room.awaitsLateNumbers) return;
    room
      .compactLog()
      .catch((error: unknown) =>
        this.log.error('compacting a closed segment failed', { conversation: conversationId, segment, error: String(error) }),
      );
  }

  /**
   * A new conversation starts its messages in segment 1 (docs/SEGMENTS.md,
   * "Why segment 0 is `conv/<id>` itself"), so `conv/<id>`, which every
   * device opens for `meta`, holds `meta` and the list only and stays small.
   * Called when `conv/<id>` loads empty (no message, no list): segment 0 is
   * closed at once, as at a rollover, with nothing in it.
   */
  startInSegmentOne(conversationId: string, room: Room): void {
    if (!this.rollsOver || !this.bounds.newInSegmentOne || this.rolling.has(conversationId)) return;
    if (messagesOf(room.doc).size > 0 || segmentsOf(room.doc).size > 0) return;
    this.rolling.add(conversationId);
    const started = this.lock
      .run(conversationId, () => this.rollOver(conversationId, 0, room))
      .catch((error: unknown) =>
        this.log.error('starting a new conversation in segment 1 failed', { conversation: conversationId, error: String(error) }),
      )
      .finally(() => {
        this.rolling.delete(conversationId);
        this.starting.delete(conversationId);
      });
    this.starting.set(conversationId, started);
  }

  /**
   * Numbers messages that arrived in segment `from` after it closed: the
   * newest segment gives each its next number (or the one it already gave).
   * `recovering` (found unnumbered when `from` loaded: a crash between the
   * number and its copy): the segments in between are looked through first,
   * because a rollover may have happened since the number was given.
   */
  numberLate(conversationId: string, from: number, messageIds: readonly string[], recovering: boolean): Promise<Map<string, number>> {
    return this.lock.run(conversationId, async () => {
      const list = await this.readList(conversationId);
      const numbers = new Map<string, number>();
      if (recovering) {
        for (let n = from + 1; n < list.newest; n++) {
          await this.withRoom(segmentDocName(conversationId, n), async (room) => {
            const seq = seqIndexOf(room.doc);
            for (const id of messageIds) {
              const number = seq.get(id);
              if (typeof number === 'number' && !numbers.has(id)) numbers.set(id, number);
            }
          });
        }
      }
      const rest = messageIds.filter((id) => !numbers.has(id));
      if (rest.length === 0) return numbers;
      const given = await this.withRoom(segmentDocName(conversationId, list.newest), (room) => room.numberForeign(rest));
      if (!given) throw new Error(`segment ${list.newest}, the newest in the list, does not number`);
      for (const [id, number] of given) numbers.set(id, number);
      return numbers;
    });
  }

  private isFull(room: Room): boolean {
    const { messages, bytes } = this.bounds;
    if (messages > 0 && messagesOf(room.doc).size >= messages) return true;
    const stored = room.storedBytes;
    return bytes > 0 && stored !== null && stored >= bytes;
  }

  /** Closes `segment` and opens the next (docs/SEGMENTS.md, "Rollover"); under the conversation's lock. */
  private async rollOver(conversationId: string, segment: number, room: Room): Promise<void> {
    if (room.hasFailed) return;
    const list = await this.readList(conversationId);
    if (list.newest !== segment) return;
    const closed = await room.closeSegment();
    if (!closed) return;
    try {
      const entry: SegmentEntry = { firstSeq: closed.last + 1, openedAt: this.now() };
      await this.rooms.runCommand({ kind: 'segment-opened', conversationId, segment: segment + 1, entry });
    } catch (error) {
      // The list still names this segment the newest: it numbers again, what waited included.
      await room.reopenSegment();
      throw error;
    }
    // A read marker is one per member for the conversation: the new segment starts with the closing one's.
    const reads = Object.entries(closed.reads);
    if (reads.length > 0) {
      await this.rooms.runCommand({ kind: 'segment-reads', conversationId, segment: segment + 1, reads: Object.fromEntries(reads) });
    }
    // Closed for good: its log becomes the one entry every later load applies.
    this.compactClosed(conversationId, segment, room);
  }

  private async readList(conversationId: string): Promise<SegmentList> {
    return this.withRoom(convDocName(conversationId), async (room) => {
      const entries = new Map<number, SegmentEntry>();
      let newest = 0;
      segmentsOf(room.doc).forEach((entry, key) => {
        const n = Number(key);
        if (!Number.isSafeInteger(n) || n < 1) return;
        entries.set(n, entry);
        newest = Math.max(newest, n);
      });
      return { newest, entries };
    });
  }

  private async withRoom<T>(docName: string, use: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.rooms.acquire(docName);
    try {
      return await use(room);
    } finally {
      this.rooms.release(room);
    }
  }
}
