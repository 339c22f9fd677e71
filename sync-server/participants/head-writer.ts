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
 */
import type * as Y from 'yjs';
import { headsOf } from '../../shared/schema.js';
import type { Head } from '../../shared/heads.js';
import type { Logger } from '../config.js';

/** The head without the reader's own read marker, as the conversation's document gives it. */
export type SharedHead = Omit<Head, 'readSeq'>;

/** What to write for one conversation, read from its document when it changed (the document may unload before the write). */
export interface HeadSnapshot {
  head: SharedHead;
  /** Current members and how far each has read (0 when nothing). */
  reads: ReadonlyMap<string, number>;
}

/** Applies a server change to a document (DocRegistry.change). */
export type ChangeDocument = (docName: string, change: (doc: Y.Doc) => void) => Promise<void>;

/** User documents written at the same time for one conversation: a 500-member group loads them a few at a time. */
const PARALLEL_WRITES = 16;

interface Pending {
  snapshot: HeadSnapshot;
  /** Everyone (the head moved) or only these people (their read marker moved). */
  targets: 'all' | Set<string>;
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

  constructor(
    private readonly change: ChangeDocument,
    private readonly windowMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for the conversation's head to be written to `targets` (the last snapshot wins within a window). */
  schedule(conversationId: string, snapshot: HeadSnapshot, targets: 'all' | Iterable<string>): void {
    if (this.closed) return;
    const state = this.stateOf(conversationId);
    const merged = mergeTargets(state.pending?.targets, targets);
    state.pending = { snapshot, targets: merged };
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

  private async write(conversationId: string, { snapshot, targets }: Pending): Promise<void> {
    const people = [...snapshot.reads.keys()].filter((userId) => targets === 'all' || targets.has(userId));
    for (let start = 0; start < people.length; start += PARALLEL_WRITES) {
      await Promise.all(people.slice(start, start + PARALLEL_WRITES).map((userId) => this.writeOne(conversationId, userId, snapshot)));
    }
  }

  private async writeOne(conversationId: string, userId: string, { head, reads }: HeadSnapshot): Promise<void> {
    const next: Head = { ...head, readSeq: Math.min(reads.get(userId) ?? 0, head.seq) };
    try {
      await this.change(`user/${userId}`, (doc) => {
        const heads = headsOf(doc);
        if (!sameHead(heads.get(conversationId), next)) heads.set(conversationId, next);
      });
    } catch (error) {
      // The next change of the conversation writes the head again; the list is stale until then.
      this.log.warn('writing a conversation head failed', { conversationId, userId, error: String(error) });
    }
  }
}

function mergeTargets(before: Pending['targets'] | undefined, added: 'all' | Iterable<string>): Pending['targets'] {
  if (before === 'all' || added === 'all') return 'all';
  const merged = new Set(before ?? []);
  for (const userId of added) merged.add(userId);
  return merged;
}

function sameHead(stored: Head | undefined, next: Head): boolean {
  return (
    stored !== undefined &&
    stored.seq === next.seq &&
    stored.at === next.at &&
    stored.author === next.author &&
    stored.kind === next.kind &&
    stored.preview === next.preview &&
    stored.readSeq === next.readSeq
  );
}
