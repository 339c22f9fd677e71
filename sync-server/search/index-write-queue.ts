/**
 * The search index's writes, off the rooms' turns and batched (issue 14).
 * Indexing a message (its terms, then a LevelDB batch of ~10 keys after
 * reading its old record) cost ~0.5 ms of relay CPU when it ran after every
 * stored batch: more than the rest of a message's handling. So a stored
 * batch only notes its messages as it stored them (the value and number,
 * read at once: the document may be ahead of the disk by the time the write
 * runs), and the queue turns what gathered into terms and writes it for all
 * conversations at once: one read of the old records, one LevelDB batch.
 *
 * A write starts `delayMs` after the first message noted, or at once when
 * `batchSize` wait. Writes run one at a time, in order, with the indexer's
 * catch-ups (`runAfter`). Memory is bounded: when `maxPending` messages wait, a
 * document noting more has what it noted dropped and is indexed again whole
 * from the document instead (`onOverflow`), so nothing is lost, only redone.
 *
 * Crash safety: each write also records how far into each document's log the
 * index now holds every stored change (`IndexedThrough`, in the same atomic
 * write), so a document whose log went further before the process died is
 * indexed whole when it next loads. A document the index may miss changes of
 * (a failed write, a whole indexing under way) gets no such record until it
 * was indexed whole again (`distrust`, `reindexed`).
 */
import type { Message } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import type { IndexChange, IndexedMessage, IndexedThrough, MessageIndex } from './message-index.js';
import { indexedForm } from './indexed-form.js';

/** A message as a stored batch left it. */
export interface StoredMessageState {
  messageId: string;
  message: Message | undefined;
  seq: unknown;
  /** Numbered in this batch, so never indexed before (a record needs a number): its old record is not read. */
  first?: boolean;
}

export interface IndexWriteQueueOptions {
  /** How long the first noted message waits for others to share its write (index freshness against CPU per message). */
  delayMs: number;
  /** Messages that start a write at once. */
  batchSize: number;
  /** Most messages waiting; past it a document is indexed again whole instead (`onOverflow`). */
  maxPending: number;
}

/** Messages turned into terms per turn of the event loop (~5 ms of work). */
const TERMS_PER_TURN = 100;

export const INDEX_WRITE_DEFAULTS: IndexWriteQueueOptions = { delayMs: 100, batchSize: 1_000, maxPending: 20_000 };

interface PendingDocument {
  conversationId: string;
  messages: Map<string, StoredMessageState>;
  /** The log clock after the newest stored batch noted (every batch below it was noted). */
  nextClock: number;
  /** The document's whole-indexing generation when this was first noted (`first` holds only while it is unchanged). */
  generation: number;
}

export class IndexWriteQueue {
  /** By document name (a conversation's history segments are documents of their own). */
  private pending = new Map<string, PendingDocument>();
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Documents whose index may lack stored changes until indexed whole again: no `IndexedThrough` is written for them. */
  private readonly distrusted = new Set<string>();
  /**
   * Bumped when a whole indexing of the document starts or ends: it may
   * write a record of a message noted as `first` before or while it ran, so
   * such a note's old record is read after all.
   */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: MessageIndex,
    private readonly log: Logger,
    private readonly hooks: {
      /** These messages' index write is done (or failed and was logged). */
      written(messageIds: readonly string[]): void;
      /** What `docName` noted was dropped (the queue was full, or its write failed): index it again whole. */
      overflowed(docName: string): void;
    },
    private readonly options: IndexWriteQueueOptions = INDEX_WRITE_DEFAULTS,
  ) {}

  /**
   * Notes messages of a document as a stored batch left them (a later note
   * of the same message replaces this one) and the log clock after that
   * batch. A batch that changed no message is noted too (no states): its
   * clock goes with the document's next write, or at `settle`.
   */
  note(docName: string, conversationId: string, states: readonly StoredMessageState[], nextClock: number): void {
    let entry = this.pending.get(docName);
    if (this.pendingCount + states.length > this.options.maxPending) {
      if (entry) this.pendingCount -= entry.messages.size;
      this.pending.delete(docName);
      this.log.warn('search indexing is behind: a document is indexed again whole', { doc: docName, waiting: this.pendingCount });
      this.distrust(docName);
      this.hooks.overflowed(docName);
      return;
    }
    if (!entry) {
      entry = { conversationId, messages: new Map(), nextClock, generation: this.generations.get(docName) ?? 0 };
      this.pending.set(docName, entry);
    }
    entry.nextClock = Math.max(entry.nextClock, nextClock);
    for (const state of states) {
      const before = entry.messages.get(state.messageId);
      if (!before) this.pendingCount++;
      // An edit of a message numbered earlier in this wait: still never written.
      entry.messages.set(state.messageId, before?.first && !state.first ? { ...state, first: true } : state);
    }
    if (this.pendingCount >= this.options.batchSize) this.flush();
    else if (states.length > 0) this.schedule();
  }

  /** The document is going away (unloaded): what it noted, if only a clock, is written soon. */
  settle(docName: string): void {
    if (this.pending.has(docName)) this.schedule();
  }

  /** The document's index may lack stored changes (it is being indexed whole): record no clock for it until `reindexed`. */
  distrust(docName: string): void {
    this.distrusted.add(docName);
    this.generations.set(docName, (this.generations.get(docName) ?? 0) + 1);
  }

  /** The document was indexed whole (and its clock recorded with it): its writes record clocks again. */
  reindexed(docName: string): void {
    this.distrusted.delete(docName);
    this.generations.set(docName, (this.generations.get(docName) ?? 0) + 1);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.options.delayMs).unref();
  }

  /** Runs `step` after every write queued so far (catch-ups keep their place in the order). */
  runAfter(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((error: unknown) => {
      this.log.error('the search index could not be updated', { error: String(error) });
    });
  }

  /** Writes what waits now; resolves when every write queued so far is done. */
  idle(): Promise<void> {
    this.flush();
    return this.chain;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const taken = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    const ids: string[] = [];
    this.runAfter(async () => {
      try {
        const changes = await this.changes(taken, ids);
        // Read when the write runs: a whole indexing queued before it may have distrusted a document meanwhile.
        const through: IndexedThrough[] = [];
        for (const [docName, { nextClock }] of taken) if (!this.distrusted.has(docName)) through.push({ docName, nextClock });
        await this.store.applyAll(changes, through);
      } catch (error) {
        // What these documents noted may be missing from the index: each is indexed whole again.
        for (const docName of taken.keys()) {
          this.distrust(docName);
          this.hooks.overflowed(docName);
        }
        throw error;
      } finally {
        this.hooks.written(ids);
      }
    });
  }

  /**
   * What each conversation's messages are indexed as (the terms are worked
   * out here, off the rooms' turns), yielding to the event loop every
   * `TERMS_PER_TURN` messages so a backlog does not hold up deliveries.
   */
  private async changes(taken: Map<string, PendingDocument>, ids: string[]): Promise<IndexChange[]> {
    const out: IndexChange[] = [];
    let sinceYield = 0;
    for (const [docName, { conversationId, messages, generation }] of taken) {
      if (messages.size === 0) continue;
      const put: IndexedMessage[] = [];
      const remove: string[] = [];
      const unindexed = new Set<string>();
      // Read when the write runs: a whole indexing before it in the order may have written these messages' records.
      const firstHolds = (this.generations.get(docName) ?? 0) === generation;
      for (const { messageId, message, seq, first } of messages.values()) {
        if (++sinceYield > TERMS_PER_TURN) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        ids.push(messageId);
        const form = indexedForm(message, seq);
        if (form) {
          put.push({ messageId, ...form });
          if (first && firstHolds) unindexed.add(messageId);
        } else remove.push(messageId);
      }
      out.push({ conversationId, put, remove, unindexed });
    }
    return out;
  }
}
