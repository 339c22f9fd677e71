/**
 * Writes conversation heads into members' `user/<id>` documents, coalesced:
 * per conversation at most one round of writes per window (`windowMs`,
 * HEADS_COALESCE_MS). The first change after a quiet window is written at
 * once; what arrives during a window waits for its end, and only the last
 * head is written (docs/ARCHITECTURE.md, "Conversation heads"). So a busy
 * group costs each member one user-document write per window, not one per
 * message.
 *
 * A head is written to the members named in the snapshot only: a removed
 * member's entry stays as it was when they went (frozen, like their list
 * entry). An entry equal to what is stored is not written again, which
 * makes the writes on a conversation's first load (heads for conversations
 * stored before heads existed) cost nothing the second time.
 *
 * With `shared` (HEADS_SHARED, docs/PROTOCOL.md, "Shared conversation
 * heads") a round writes the head once, into the head table, and hands it to
 * the members' listening sockets (head-hub.ts); into user documents go only
 * the marks (`readSeq`, `mentionSeq`) of the people named as targets, those
 * whose marks moved. So a message costs one head record and its author's
 * marks, not one user-document write per member.
 *
 * An author's own marks (writing counts as reading) wait while the head is
 * theirs: a client counts a head it wrote as read up to its `seq`
 * (client/data/messages/heads-view.ts, `joinHead`), so a stored mark is
 * needed only once someone else's message is the head. The snapshot's
 * `ownMarks` names those waiting (a live set of the conversation's follow,
 * conversation-heads.ts); a round writes the ones whose message is no longer
 * the head and takes them out. A busy conversation then writes an author's
 * user document when another member's message follows theirs, not every
 * window they write in (issue 14: those writes loaded the author's document
 * again and again).
 */
import type * as Y from 'yjs';
import type { Head, HeadMarks, SharedHead as SharedPart } from '../../shared/heads.js';
import { applyToDocument } from '../commands/apply-command.js';
import type { DocumentCommand, DocumentCommands } from '../commands/document-command.js';
import type { Logger } from '../config.js';
import type { HeadPublisher } from './head-hub.js';
import type { HeadTable } from './head-table.js';

/** The head without the reader's own marks, as the conversation's document gives it. */
export type SharedHead = SharedPart;

/** Where shared heads go (HEADS_SHARED): the table that keeps each once, the sockets that listen (in a cluster, every relay's). */
export interface SharedHeads {
  table: HeadTable;
  hub: HeadPublisher;
}

/** What to write for one conversation, read from its document when it changed (the document may unload before the write). */
export interface HeadSnapshot {
  head: SharedHead;
  /** Current members and how far each has read (0 when nothing). */
  reads: ReadonlyMap<string, number>;
  /** The conversation's marks as its follow keeps them, read at the round (not copied when the snapshot is taken). */
  marks?: LiveMarks;
}

/**
 * A conversation's marks, live: the follow (conversation-heads.ts) keeps
 * them in its per-room state and hands that state over as it is, so a room
 * keeps no collection it has nothing in (issue 14: a loaded room's heap).
 */
export interface LiveMarks {
  /** Each member's newest mention (mention-marks.ts); null, or no entry: none. */
  readonly mentions: ReadonlyMap<string, number> | null;
  /**
   * Shared heads only: authors whose marks moved by their own messages and
   * are not written yet; made at the first. A round takes out those it
   * writes, and a failed write puts its person back.
   */
  ownMarks: Set<string> | undefined;
}

/** Applies a server change to a document in this process (DocRegistry.change): what bench/heads measures the writer over. */
export type ChangeDocument = (docName: string, change: (doc: Y.Doc) => void) => Promise<void>;

/** The head commands as applied through a bare `ChangeDocument`, in this process. */
function headsThrough(change: ChangeDocument): DocumentCommands {
  return {
    async run(command: DocumentCommand) {
      if (command.kind !== 'head' && command.kind !== 'head-marks')
        throw new Error(`the head writer writes heads only, not ${command.kind}`);
      await change(`user/${command.userId}`, (doc) => applyToDocument(doc, command));
      return {};
    },
  };
}

/** User documents written at the same time for one conversation: a 500-member group loads them a few at a time. */
const PARALLEL_WRITES = 16;

interface Pending {
  snapshot: HeadSnapshot;
  /** Everyone (the head moved) or only these people (their read marker moved). */
  targets: 'all' | Set<string>;
  /** Shared heads only: the head itself moved (else only the targets' marks did). */
  headMoved: boolean;
}

interface ConversationState {
  lastRoundAt: number;
  pending: Pending | null;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

export class HeadWriter {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly rounds = new Set<Promise<void>>();
  private closed = false;
  /** Where heads are written: the server's commands (a `head` command runs on the relay that owns the user document). */
  private readonly commands: DocumentCommands;

  constructor(
    commands: DocumentCommands | ChangeDocument,
    private readonly windowMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    /** Shared heads (HEADS_SHARED); absent: a head per member in their user document. */
    readonly shared: SharedHeads | null = null,
  ) {
    this.commands = typeof commands === 'function' ? headsThrough(commands) : commands;
  }

  /**
   * Asks for the conversation's head to be written to `targets` (the last
   * snapshot wins within a window). With shared heads, `headMoved` says
   * whether the shared head is written; `targets` are whose marks are.
   */
  schedule(conversationId: string, snapshot: HeadSnapshot, targets: 'all' | Iterable<string>, headMoved = targets === 'all'): void {
    if (this.closed) return;
    const state = this.stateOf(conversationId);
    const merged = mergeTargets(state.pending?.targets, targets);
    state.pending = { snapshot, targets: merged, headMoved: headMoved || (state.pending?.headMoved ?? false) };
    if (state.timer || state.running) return;
    const wait = Math.max(0, state.lastRoundAt + this.windowMs - this.now());
    if (wait === 0) this.startRound(conversationId, state);
    else this.arm(conversationId, state, wait);
  }

  /** Resolves when every write asked for so far is done, timers included (tests). */
  async idle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      for (const [id, state] of this.conversations) {
        if (state.timer && !state.running && state.pending) {
          clearTimeout(state.timer);
          state.timer = null;
          this.startRound(id, state);
        }
      }
      if (this.rounds.size === 0) return;
      await Promise.all([...this.rounds]);
    }
  }

  /** Writes what is pending now, then takes no more (server shutdown, before the documents are stored and unloaded). */
  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
  }

  private stateOf(conversationId: string): ConversationState {
    let state = this.conversations.get(conversationId);
    if (!state) this.conversations.set(conversationId, (state = { lastRoundAt: -Infinity, pending: null, timer: null, running: null }));
    return state;
  }

  private arm(conversationId: string, state: ConversationState, wait: number): void {
    state.timer = setTimeout(() => {
      state.timer = null;
      this.startRound(conversationId, state);
    }, wait);
    state.timer.unref();
  }

  private startRound(conversationId: string, state: ConversationState): void {
    const pending = state.pending;
    if (!pending) {
      // A quiet window has passed: the next change is written at once.
      this.conversations.delete(conversationId);
      // The table's copy goes too: a quiet conversation costs a record read at its next head, not memory meanwhile.
      this.shared?.table.forget(conversationId);
      return;
    }
    state.pending = null;
    state.lastRoundAt = this.now();
    const round = this.write(conversationId, pending).finally(() => {
      this.rounds.delete(round);
      state.running = null;
      // The window runs on: what arrives in it waits for its end (and a quiet end forgets the conversation).
      this.arm(conversationId, state, Math.max(0, state.lastRoundAt + this.windowMs - this.now()));
    });
    state.running = round;
    this.rounds.add(round);
  }

  private async write(conversationId: string, { snapshot, targets, headMoved }: Pending): Promise<void> {
    if (this.shared && headMoved) await this.writeShared(conversationId, snapshot, this.shared);
    const people = [...snapshot.reads.keys()].filter((userId) => targets === 'all' || targets.has(userId));
    if (this.shared && snapshot.marks?.ownMarks)
      people.push(...ownMarksDue(snapshot.head, snapshot.reads, snapshot.marks.ownMarks, people));
    const writeOne = this.shared ? this.writeMarks : this.writeOne;
    for (let start = 0; start < people.length; start += PARALLEL_WRITES) {
      await Promise.all(
        people.slice(start, start + PARALLEL_WRITES).map((userId) => writeOne.call(this, conversationId, userId, snapshot)),
      );
    }
  }

  /** The head once, into the table, then to the sockets of the members named in the snapshot (the conversation's members when it was taken). */
  private async writeShared(conversationId: string, { head, reads }: HeadSnapshot, { table, hub }: SharedHeads): Promise<void> {
    const shared: SharedPart = { seq: head.seq, at: head.at, author: head.author, kind: head.kind, preview: head.preview };
    // The newest message's history segment, so a device opens it together with `conv/<id>` (shared/heads.ts), as with a head per member.
    if (head.segment !== undefined) shared.segment = head.segment;
    try {
      const record = await table.put(conversationId, shared);
      if (record) hub.publish(reads.keys(), { conversationId, rev: record.rev, head: record.head });
    } catch (error) {
      // As a failed head write: the next change writes it again; lists are stale until then.
      this.log.warn('writing a shared conversation head failed', { conversationId, error: String(error) });
    }
  }

  private async writeMarks(conversationId: string, userId: string, { head, reads, marks: live }: HeadSnapshot): Promise<void> {
    const mentionSeq = live?.mentions?.get(userId);
    const marks: HeadMarks = { readSeq: Math.min(reads.get(userId) ?? 0, head.seq), ...(mentionSeq ? { mentionSeq } : {}) };
    try {
      await this.commands.run({ kind: 'head-marks', userId, conversationId, marks });
    } catch (error) {
      // Written again by a later round (the conversation's next change), with the marks as they are then.
      if (live) (live.ownMarks ??= new Set()).add(userId);
      this.log.warn('writing head marks failed', { conversationId, userId, error: String(error) });
    }
  }

  private async writeOne(conversationId: string, userId: string, { head, reads, marks }: HeadSnapshot): Promise<void> {
    const mentionSeq = marks?.mentions?.get(userId);
    const next: Head = { ...head, readSeq: Math.min(reads.get(userId) ?? 0, head.seq), ...(mentionSeq ? { mentionSeq } : {}) };
    try {
      // An entry equal to the stored one is not written again (commands/apply-command.ts).
      await this.commands.run({ kind: 'head', userId, conversationId, head: next });
    } catch (error) {
      // The next change of the conversation writes the head again; the list is stale until then.
      this.log.warn('writing a conversation head failed', { conversationId, userId, error: String(error) });
    }
  }
}

/**
 * The authors of `ownMarks` to write in this round besides `people`:
 * all but the head's author, whose client counts the head as read. Those
 * written here or in `people` leave the set; a removed member's marks stay
 * frozen, as a removed member's head does.
 */
function ownMarksDue(head: SharedHead, reads: HeadSnapshot['reads'], ownMarks: Set<string>, people: readonly string[]): string[] {
  const due: string[] = [];
  const written = new Set(people);
  for (const userId of ownMarks) {
    if (userId === head.author && !written.has(userId)) continue;
    ownMarks.delete(userId);
    if (!written.has(userId) && reads.has(userId)) due.push(userId);
  }
  return due;
}

function mergeTargets(before: Pending['targets'] | undefined, added: 'all' | Iterable<string>): Pending['targets'] {
  if (before === 'all' || added === 'all') return 'all';
  const merged = new Set(before ?? []);
  for (const userId of added) merged.add(userId);
  return merged;
}
