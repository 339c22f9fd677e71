/**
 * Keeps the server's search index (message-index-store.ts) in step with the
 * stored conversations. A server participant (participants/participant.ts)
 * on conversation rooms: it notes which messages a change touched and, in
 * `afterStore`, reads them as stored and hands them to the write queue
 * (index-write-queue.ts), which indexes them a little later, many at once,
 * off the rooms' turns; so the index never holds what a failed write lost.
 * New, edited and deleted messages alike: a deleted (or gone) one leaves
 * the index with all its terms. A conversation stored before search
 * existed is indexed whole, a chunk at a time, when it loads. Writes run
 * one after another, in order.
 *
 * The writes trail the stored batches by up to the queue's delay, so a crash
 * in between would leave stored messages out of the index: each write
 * records how far into the document's log it holds everything
 * (`IndexedThrough`), and a document whose log is further on when it loads
 * is indexed whole again.
 */
import type * as Y from 'yjs';
import { messagesOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import type { Logger } from '../config.js';
import type { RoomEvent, ServerParticipant, StoredBatch } from '../participants/participant.js';
import type { Room } from '../relay/room.js';
import { indexedForm } from './indexed-form.js';
import { IndexWriteQueue, type IndexWriteQueueOptions, type StoredMessageState } from './index-write-queue.js';
import type { IndexedMessage, MessageIndex } from './message-index.js';

/** Messages indexed per step when a whole conversation is indexed: other work gets the event loop in between. */
const CHUNK = 500;

interface Followed {
  room: Room;
  conversationId: string;
  /** The document's name: a conversation's history segments (docs/SEGMENTS.md) are caught up one by one. */
  docName: string;
  /** Messages changed since the last stored batch; made when one is. */
  changed: Set<string> | null;
  unloaded: boolean;
  /** The log clock when the document loaded: the index must hold every change below it, or it is indexed whole. */
  loadedClock: number;
}

export class SearchIndexer implements ServerParticipant<Followed> {
  readonly name = 'search';
  /**
   * The loaded documents by name, for the rare whole indexing a full write queue asks for (`indexAgain`); each room
   * also hands its entry to the hooks (its state, participant.ts).
   */
  private readonly followed = new Map<string, Followed>();
  private readonly writes: IndexWriteQueue;
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    private readonly store: MessageIndex,
    log: Logger,
    writeOptions?: IndexWriteQueueOptions,
  ) {
    this.writes = new IndexWriteQueue(
      store,
      log,
      { written: (ids) => this.wake(ids), overflowed: (docName) => this.indexAgain(docName) },
      writeOptions,
    );
  }

  onRoomLoaded({ room, docName }: RoomEvent): Followed | undefined {
    if (docName.kind !== 'conv') return undefined;
    const entry: Followed = {
      room,
      conversationId: docName.id,
      docName: room.name,
      changed: null,
      unloaded: false,
      loadedClock: room.storedClock,
    };
    this.followed.set(room.name, entry);
    this.enqueue(() => this.catchUp(room.doc, entry));
    return entry;
  }

  messagesChanged(event: Y.YMapEvent<Message>, entry: Followed): void {
    for (const key of event.keysChanged) (entry.changed ??= new Set()).add(key);
  }

  afterStore({ room, docName, numbered }: StoredBatch, entry: Followed | undefined): void {
    if (docName.kind !== 'conv' || !entry) return;
    const states: StoredMessageState[] = numbered.map(({ messageId, seq }) => ({ messageId, message: undefined, seq, first: true }));
    const changed = entry.changed;
    entry.changed = null;
    if (changed) for (const { messageId } of numbered) changed.delete(messageId);
    if (states.length === 0 && !changed?.size) {
      // No message changed: only how far the log went, written with the document's next index write.
      this.writes.note(entry.docName, entry.conversationId, states, room.storedClock);
      return;
    }
    // Read now, as stored: by the time the write runs, the document may be ahead of the disk (its next batch).
    const messages = messagesOf(room.doc);
    for (const state of states) state.message = messages.get(state.messageId);
    if (changed && changed.size > 0) {
      const seqs = seqIndexOf(room.doc);
      for (const messageId of changed) states.push({ messageId, message: messages.get(messageId), seq: seqs.get(messageId) });
    }
    this.writes.note(entry.docName, entry.conversationId, states, room.storedClock);
  }

  onRoomUnloaded(_event: RoomEvent, entry: Followed | undefined): void {
    if (!entry) return;
    entry.unloaded = true;
    if (this.followed.get(entry.docName) === entry) this.followed.delete(entry.docName);
    // A clock noted without messages is written now, or the next load would index the document whole again.
    this.writes.settle(entry.docName);
  }

  /** Writes what waits now; resolves when every index write queued so far is done. */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /**
   * Resolves once every catch-up and write queued so far has run, without
   * hurrying what still waits to be written (search-catch-up.ts: a
   * document's whole indexing, queued as it loaded, is then done).
   */
  settled(): Promise<void> {
    return new Promise((resolve) => this.enqueue(async () => resolve()));
  }

  /** Resolves after the next index write that touches this message (tests, and whoever must see an edit reflected). */
  whenIndexed(messageId: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiters.get(messageId) ?? [];
      list.push(resolve);
      this.waiters.set(messageId, list);
    });
  }

  private forms(doc: Y.Doc, ids: readonly string[]): { put: IndexedMessage[]; remove: string[] } {
    const messages = messagesOf(doc);
    const seqs = seqIndexOf(doc);
    const put: IndexedMessage[] = [];
    const remove: string[] = [];
    for (const messageId of ids) {
      const form = indexedForm(messages.get(messageId), seqs.get(messageId));
      if (form) put.push({ messageId, ...form });
      else remove.push(messageId);
    }
    return { put, remove };
  }

  /**
   * A conversation not indexed at this version, or whose log went further
   * than its index (the process died before an index write): all of it, a
   * chunk per step, then marked current.
   */
  private async catchUp(doc: Y.Doc, entry: Followed): Promise<void> {
    if ((await this.store.isCurrent(entry.docName)) && ((await this.store.indexedThrough(entry.docName)) ?? -1) >= entry.loadedClock)
      return;
    await this.indexWhole(doc, entry);
  }

  /** The write queue was full: this document is indexed whole instead (or when it next loads, if it is gone by then). */
  private indexAgain(docName: string): void {
    const found = this.followed.get(docName);
    this.enqueue(async () => {
      await this.store.markStale(docName);
      if (found) await this.indexWhole(found.room.doc, found);
    });
  }

  /** Every message of the document, a chunk per step (other work gets the event loop in between), then marked current. */
  private async indexWhole(doc: Y.Doc, entry: Followed): Promise<void> {
    this.writes.distrust(entry.docName);
    // Every batch stored below this clock is in the document read here.
    const through = entry.room.storedClock;
    const ids = [...messagesOf(doc).keys()];
    for (let at = 0; at < ids.length; at += CHUNK) {
      // Unloaded meanwhile: the next load starts again (nothing was marked).
      if (entry.unloaded) return;
      const { put, remove } = this.forms(doc, ids.slice(at, at + CHUNK));
      await this.store.apply(entry.conversationId, put, remove);
    }
    if (entry.unloaded) return;
    await this.store.markCurrent(entry.docName, through);
    this.writes.reindexed(entry.docName);
  }

  private enqueue(step: () => Promise<void>): void {
    this.writes.runAfter(step);
  }

  private wake(ids: readonly string[]): void {
    for (const id of ids) {
      const list = this.waiters.get(id);
      if (!list) continue;
      this.waiters.delete(id);
      for (const resolve of list) resolve();
    }
  }
}
