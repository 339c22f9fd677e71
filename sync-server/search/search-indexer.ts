/**
 * Keeps the server's search index (message-index-store.ts) in step with the
 * stored conversations. A server participant (participants/participant.ts)
 * on conversation rooms: it notes which messages a change touched and
 * indexes them in `afterStore`, so the index never holds what a failed
 * write lost. New, edited and deleted messages alike: each is read as it is
 * stored now, and a deleted (or gone) one leaves the index with all its
 * terms. A conversation stored before search existed is indexed whole, a
 * chunk at a time, when it loads. Writes run one after another, in order.
 */
import type * as Y from 'yjs';
import { messagesOf, seqOf, type Message } from '../../shared/schema.js';
import { indexTerms } from '../../shared/search-tokens.js';
import type { Logger } from '../config.js';
import type { RoomEvent, ServerParticipant, StoredBatch } from '../participants/participant.js';
import type { IndexedMessage, MessageIndexStore } from './message-index-store.js';

/** Messages indexed per step when a whole conversation is indexed: other work gets the event loop in between. */
const CHUNK = 500;

interface Followed {
  conversationId: string;
  /** The document's name: a conversation's history segments (docs/SEGMENTS.md) are caught up one by one. */
  docName: string;
  /** Messages changed since the last stored batch. */
  changed: Set<string>;
  unloaded: boolean;
  stop(): void;
}

/** What a message is indexed as: its text and its files' names; system messages and deleted ones are not indexed. */
export function indexedForm(message: Message | undefined, seq: unknown): Omit<IndexedMessage, 'messageId'> | null {
  if (!message || message.deleted || message.kind === 'system' || typeof seq !== 'number') return null;
  const names = (message.attachments ?? []).map((a) => a.name ?? '').filter(Boolean);
  const terms = indexTerms([message.text, ...names].join(' '));
  if (terms.length === 0) return null;
  return { author: message.author, text: message.text, createdAt: message.createdAt, seq, terms };
}

export class SearchIndexer implements ServerParticipant {
  readonly name = 'search';
  private readonly followed = new Map<Y.Doc, Followed>();
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    private readonly store: MessageIndexStore,
    private readonly log: Logger,
  ) {}

  onRoomLoaded({ room, docName }: RoomEvent): void {
    if (docName.kind !== 'conv') return;
    const messages = messagesOf(room.doc);
    const entry: Followed = { conversationId: docName.id, docName: room.name, changed: new Set(), unloaded: false, stop: () => undefined };
    const onMessages = (event: Y.YMapEvent<Message>) => {
      for (const key of event.keysChanged) entry.changed.add(key);
    };
    messages.observe(onMessages);
    entry.stop = () => {
      entry.unloaded = true;
      messages.unobserve(onMessages);
    };
    this.followed.set(room.doc, entry);
    this.enqueue(() => this.catchUp(room.doc, entry));
  }

  afterStore({ room, docName, numbered }: StoredBatch): void {
    if (docName.kind !== 'conv') return;
    const entry = this.followed.get(room.doc);
    if (!entry) return;
    for (const { messageId } of numbered) entry.changed.add(messageId);
    if (entry.changed.size === 0) return;
    const ids = [...entry.changed];
    entry.changed = new Set();
    // Read now, as stored: by the time the write runs, the document may have moved on (its own batch follows).
    const { put, remove } = this.forms(room.doc, ids);
    this.enqueue(async () => {
      await this.store.apply(entry.conversationId, put, remove);
      this.wake(ids);
    });
  }

  onRoomUnloaded({ room }: RoomEvent): void {
    this.followed.get(room.doc)?.stop();
    this.followed.delete(room.doc);
  }

  /** Resolves when every index write queued so far is done. */
  idle(): Promise<void> {
    return this.queue;
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
    const seqs = seqOf(doc);
    const put: IndexedMessage[] = [];
    const remove: string[] = [];
    for (const messageId of ids) {
      const form = indexedForm(messages.get(messageId), seqs.get(messageId));
      if (form) put.push({ messageId, ...form });
      else remove.push(messageId);
    }
    return { put, remove };
  }

  /** A conversation not indexed at this version: all of it, a chunk per step, then marked current. */
  private async catchUp(doc: Y.Doc, entry: Followed): Promise<void> {
    if (await this.store.isCurrent(entry.docName)) return;
    const ids = [...messagesOf(doc).keys()];
    for (let at = 0; at < ids.length; at += CHUNK) {
      // Unloaded meanwhile: the next load starts again (nothing was marked).
      if (entry.unloaded) return;
      const { put, remove } = this.forms(doc, ids.slice(at, at + CHUNK));
      await this.store.apply(entry.conversationId, put, remove);
    }
    if (!entry.unloaded) await this.store.markCurrent(entry.docName);
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.log.error('the search index could not be updated', { error: String(error) });
    });
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
