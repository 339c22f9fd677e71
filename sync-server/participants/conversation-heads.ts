/**
 * Keeps each conversation's head (shared/heads.ts) in its members'
 * `user/<id>` documents, so a person's list shows every conversation's
 * newest message and unread count without opening its document. A server
 * participant (participant.ts) on conversation rooms: it acts only on
 * stored batches (`afterStore`), so a head never shows a message a failed
 * write lost. What moves a head:
 * - a message numbered (the newest stored message changes),
 * - the newest message edited or deleted (the preview follows; a deleted
 *   message's text is never kept),
 * - a member newly mentioned by an edit (edited-mentions.ts): their @ badge,
 *   also by an edit in an older history segment (written through the
 *   newest segment's follow, which is loaded for it when nobody has it open),
 * - a member's read marker (their own `readSeq`, theirs only); writing a
 *   message counts as having read up to it, as in any messenger, so one's
 *   own messages are never unread even before one's client moves the marker,
 * - the members (a new member gets the head; a removed one keeps theirs frozen),
 * - the room loading: conversations stored before heads existed get theirs
 *   on first load (an unchanged head is not written again).
 * The writes are coalesced per conversation by head-writer.ts. With shared
 * heads (HEADS_SHARED) a moved head is written once, and into user documents
 * go only the marks of the people whose marks moved: a message's author, the
 * members it mentions, a reader, everyone when the members change. An
 * author's own marks wait while the head is theirs (head-writer.ts,
 * `ownMarks`): their client counts it as read.
 */
import type * as Y from 'yjs';
import { previewOf } from '../../shared/heads.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { membersOf, messagesOf, readsOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import type { HeadSnapshot, HeadWriter, SharedHead } from './head-writer.js';
import { noteEditedMentions, type EditedMention } from './edited-mentions.js';
import { mentionMarksOnLoad, noteMentions, raiseMention, type MentionMarks } from './mention-marks.js';
import type { RoomEvent, ServerParticipant, StoredBatch } from './participant.js';
import type { Logger } from '../config.js';
import type { Room } from '../relay/room.js';

/**
 * Loads a conversation's newest history segment (docs/SEGMENTS.md) for the
 * heads: an edit in an older segment that adds a mention is marked through
 * it. Pair every `acquireNewest` with `release`.
 */
export interface NewestSegmentRooms {
  acquireNewest(conversationId: string): Promise<Room>;
  release(room: Room): void;
}

/** What the participant follows in one loaded conversation's newest segment: its state in that room (participant.ts). */
interface Followed {
  older: false;
  /** The newest stored message: highest `seq`. */
  newestId: string | null;
  newestSeq: number;
  /** The segment this room is (0: `conv/<id>`); only the newest writes heads, so it is where the newest message is. */
  segment: number;
  /** Every member gets the head after the next stored batch (it moved, or the members did). */
  headMoved: boolean;
  /** The members changed: with shared heads, everyone's marks are written (a new member has none). */
  membersMoved: boolean;
  /** People whose read marker moved since the last stored batch; made when one does. */
  readsMoved: Set<string> | null;
  /** Each author's newest message number: they have read up to there. */
  ownNewest: Map<string, number>;
  /** Shared heads only: authors whose own marks moved and are not written yet (head-writer.ts takes them out); made at the first. */
  ownMarks: Set<string> | undefined;
  /** Each member's newest mention (the list's @ badge); made at the first (most conversations have none). */
  mentions: MentionMarks | null;
  /** Mentions that edits added, waiting for the store; made at the first. */
  edits: EditedMention[] | null;
}

/** An older history segment (docs/SEGMENTS.md): it writes no head, so it is not scanned at load; only its edits are followed, for the mentions they add. */
interface FollowedOlder {
  older: true;
  edits: EditedMention[] | null;
}

type HeadsState = Followed | FollowedOlder;

export class ConversationHeads implements ServerParticipant<HeadsState> {
  readonly name = 'heads';
  /** The loaded newest segment of each conversation, where mentions added in older segments are marked. */
  /** The room, not its document: a sleeping room lets its document go and makes a new one when read (relay/room-dormancy.ts). */
  private readonly newest = new Map<string, { room: Room; entry: Followed }>();
  /** Newest segments being loaded to mark an older segment's edited mentions (awaited by `idle`). */
  private readonly loading = new Set<Promise<void>>();

  constructor(
    private readonly writer: HeadWriter,
    private readonly now: () => number = Date.now,
    /** Absent: an edited mention in an older segment waits for the newest segment to be loaded by someone. */
    private readonly newestRooms: { rooms: NewestSegmentRooms; log: Logger } | null = null,
  ) {}

  /** Resolves once every newest segment loaded for an edited mention is marked and released (server shutdown, tests). */
  async idle(): Promise<void> {
    for (let round = 0; round < 100 && this.loading.size > 0; round++) await Promise.all([...this.loading]);
  }

  onRoomLoaded({ room, docName }: RoomEvent): HeadsState | undefined {
    if (docName.kind !== 'conv') return undefined;
    const doc = room.doc;
    // Three passes over every message (newest, own newest, mentions) would be most of an older segment's load.
    if (!room.numbersMessages) return { older: true, edits: null };
    const entry: Followed = {
      older: false,
      ...newestOf(doc),
      segment: docName.segment ?? 0,
      headMoved: false,
      membersMoved: false,
      readsMoved: null,
      ownNewest: ownNewestOf(doc),
      ownMarks: undefined,
      mentions: mentionsOnLoad(doc),
      edits: null,
    };
    this.newest.set(docName.id, { room, entry });
    // Conversations stored before heads existed (or while a write failed) get theirs now; an older segment's head is older (docs/SEGMENTS.md).
    this.write(docName.id, doc, entry, 'all');
    return entry;
  }

  messagesChanged(event: Y.YMapEvent<Message>, state: HeadsState, { room }: RoomEvent): void {
    if (!state.older && state.newestId !== null && event.keysChanged.has(state.newestId)) state.headMoved = true;
    state.edits = noteEditedMentions(state.edits, room.doc, event);
  }

  readsChanged(event: Y.YMapEvent<number>, state: HeadsState): void {
    if (state.older) return;
    for (const userId of event.keysChanged) (state.readsMoved ??= new Set()).add(userId);
  }

  metaChanged(event: Y.YMapEvent<unknown>, state: HeadsState): void {
    if (state.older || !event.keysChanged.has('members')) return;
    state.headMoved = true;
    state.membersMoved = true;
  }

  afterStore({ room, docName, numbered }: StoredBatch, state: HeadsState | undefined): void {
    if (docName.kind !== 'conv' || !state) return;
    const edited = state.edits ?? [];
    state.edits = null;
    if (state.older) return this.markEditedInOlder(docName.id, edited);
    const entry = state;
    const messages = messagesOf(room.doc);
    const shared = this.writer.shared !== null;
    for (const { messageId, seq } of numbered) {
      const author = messages.get(messageId)?.author;
      if (author === undefined || seq <= (entry.ownNewest.get(author) ?? 0)) continue;
      entry.ownNewest.set(author, seq);
      // With shared heads the writer decides at its round, by whose message is the head then.
      if (shared) (entry.ownMarks ??= new Set()).add(author);
      else (entry.readsMoved ??= new Set()).add(author);
    }
    // A mention comes with a numbered message, which moves the head for everyone anyway; with shared heads the mentioned people's marks are theirs to write.
    const mentioned = noteMentions(entry, room.doc, numbered);
    if (shared && mentioned) for (const userId of mentioned) (entry.readsMoved ??= new Set()).add(userId);
    // An edit that adds a mention marks the newly mentioned (their head, or their marks, is written for them alone).
    for (const { seq, added } of edited) {
      for (const userId of added) if (raiseMention(entry, userId, seq)) (entry.readsMoved ??= new Set()).add(userId);
    }
    const last = numbered.at(-1);
    if (last && last.seq > entry.newestSeq) {
      entry.newestId = last.messageId;
      entry.newestSeq = last.seq;
      entry.headMoved = true;
    }
    // An older segment (docs/SEGMENTS.md) holds an older head and a copy of `meta` that may be stale: the newest writes heads.
    if (!room.numbersMessages) return this.markEditedInOlder(docName.id, edited);
    const readsMoved = entry.readsMoved ?? new Set<string>();
    if (entry.headMoved && (!shared || entry.membersMoved)) this.write(docName.id, room.doc, entry, 'all');
    else if (entry.headMoved) this.write(docName.id, room.doc, entry, readsMoved, true);
    else if (readsMoved.size > 0) this.write(docName.id, room.doc, entry, readsMoved);
    entry.headMoved = false;
    entry.membersMoved = false;
    entry.readsMoved = null;
  }

  onRoomUnloaded({ room, docName }: RoomEvent): void {
    if (docName.kind === 'conv' && this.newest.get(docName.id)?.room === room) this.newest.delete(docName.id);
  }

  /**
   * Mentions added by edits in an older segment: marked in the newest
   * segment's follow and written for the newly mentioned alone, as an edit
   * there would be. With the newest not loaded (nobody has the conversation
   * open, or the edit syncs from a device that reads far back) it is loaded
   * for the mark and released: the mark is written when the edit is stored,
   * not with the conversation's next mention. No head is written from an
   * older segment's stale copy of `meta`.
   */
  private markEditedInOlder(conversationId: string, edited: readonly EditedMention[]): void {
    if (edited.length === 0) return;
    const newest = this.newest.get(conversationId);
    if (!newest) {
      this.markThroughLoadedNewest(conversationId, edited);
      return;
    }
    const marked = new Set<string>();
    const members = membersOf(newest.room.doc);
    for (const { seq, added } of edited) {
      for (const userId of added) {
        // The older segment's copy of `meta` may still name someone removed since.
        if (userId in members && raiseMention(newest.entry, userId, seq)) marked.add(userId);
      }
    }
    if (marked.size > 0) this.write(conversationId, newest.room.doc, newest.entry, marked);
  }

  /** Loads the newest segment (its load follows it: `onRoomLoaded`), marks, releases; a failure is logged, the mark waits for the next mention. */
  private markThroughLoadedNewest(conversationId: string, edited: readonly EditedMention[]): void {
    if (!this.newestRooms) return;
    const { rooms, log } = this.newestRooms;
    const task = (async () => {
      const room = await rooms.acquireNewest(conversationId);
      try {
        // Still not followed as the newest (a rollover under way closed it): nothing to mark through, as before.
        if (this.newest.get(conversationId)?.room === room) this.markEditedInOlder(conversationId, edited);
      } finally {
        rooms.release(room);
      }
    })()
      .catch((error: unknown) =>
        log.warn('the newest segment could not be loaded to mark an edited mention', {
          conversation: conversationId,
          error: String(error),
        }),
      )
      .finally(() => this.loading.delete(task));
    this.loading.add(task);
  }

  private write(conversationId: string, doc: Y.Doc, entry: Followed, targets: 'all' | Set<string>, headMoved = targets === 'all'): void {
    const snapshot = this.snapshot(doc, entry);
    if (snapshot) this.writer.schedule(conversationId, snapshot, targets, headMoved);
  }

  /** The head and the members' read markers as stored now; null before the first message. */
  private snapshot(doc: Y.Doc, entry: Followed): HeadSnapshot | null {
    if (entry.newestId === null) return null;
    const message = messagesOf(doc).get(entry.newestId);
    const head: SharedHead = {
      seq: entry.newestSeq,
      // The author's clock orders the list, but never ahead of the server's: a wrong clock cannot pin a conversation on top.
      at: Math.min(message?.createdAt ?? this.now(), this.now()),
      author: message?.author ?? '',
      kind: message?.kind ?? 'text',
      preview: previewOf(message),
      // A device opens this segment together with `conv/<id>` (shared/heads.ts); 0 stays absent, as before segments.
      ...(entry.segment > 0 ? { segment: entry.segment } : {}),
    };
    const reads = readsOf(doc);
    const readSeqs = new Map<string, number>();
    for (const userId of Object.keys(membersOf(doc))) {
      // The robot is in every person's robot conversation and has no list: its user document would grow by one head per person.
      if (userId === ROBOT_USER_ID) continue;
      const read = reads.get(userId);
      readSeqs.set(userId, Math.max(typeof read === 'number' ? read : 0, entry.ownNewest.get(userId) ?? 0));
    }
    // The follow's own state as the live marks: read at the writer's round (a mention noted after this snapshot counts).
    return { head, reads: readSeqs, marks: entry };
  }
}

/**
 * The stored message with the highest number (one pass over `seq`, once per
 * load). A number whose message is not in this document is one the newest
 * segment gave a late message of an older segment (docs/SEGMENTS.md): it is
 * not this segment's head.
 */
function newestOf(doc: Y.Doc): { newestId: string | null; newestSeq: number } {
  const messages = messagesOf(doc);
  let newestId: string | null = null;
  let newestSeq = 0;
  seqIndexOf(doc).forEach((seq, messageId) => {
    if (typeof seq === 'number' && seq > newestSeq && messages.has(messageId)) {
      newestSeq = seq;
      newestId = messageId;
    }
  });
  return { newestId, newestSeq };
}

/** The mention marks at load; null when there are none, as in most conversations (no empty map kept per room). */
function mentionsOnLoad(doc: Y.Doc): MentionMarks | null {
  const marks = mentionMarksOnLoad(doc);
  return marks.size > 0 ? marks : null;
}

/** Each author's newest numbered message (one pass over `seq`, once per load). */
function ownNewestOf(doc: Y.Doc): Map<string, number> {
  const messages = messagesOf(doc);
  const newest = new Map<string, number>();
  seqIndexOf(doc).forEach((seq, messageId) => {
    const author = messages.get(messageId)?.author;
    if (author !== undefined && typeof seq === 'number' && seq > (newest.get(author) ?? 0)) newest.set(author, seq);
  });
  return newest;
}
