/**
 * Search over what is on this device, with or without a network: one
 * MessageIndex per conversation (message-index.ts), kept in IndexedDB
 * (search-store.ts) and followed live. While a conversation's document is
 * open, every change to its messages (arrived, sent, edited, deleted)
 * reaches its index in the same task (a batch of a hundred or more, a
 * history segment's arrival, after it is painted, a hundred per frame); when it opens, its saved index is
 * brought in step with the document, so only what changed meanwhile is
 * indexed again. Saving waits a moment (`saveDelayMs`) so a burst of
 * messages is written once. A hit from an open conversation is checked
 * against its document before it is returned: a deleted message is never
 * found, even in the instant before its index heard of it. A conversation of
 * several history segments (docs/SEGMENTS.md) has an index per segment the
 * device opened, saved under `<id>~<n>` (segment 0 under the id, as before).
 */
import { SEGMENT_SEPARATOR } from '../../../shared/doc-names.js';
import type * as Y from 'yjs';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { queryTerms } from '../../../shared/search-tokens.js';
import { type IndexedMessage, MessageIndex } from './message-index.js';
import type { SearchStore } from './search-store.js';

/** A message found on this device. */
export interface DeviceHit extends IndexedMessage {
  conversationId: string;
}

/** What the search needs of an open conversation (a DocConnection). */
export interface FollowedDocument {
  doc: Y.Doc;
  whenLocalLoaded: Promise<void>;
}

/** Messages changed at once from which indexing waits for the next paint: a segment's sync, not a message or an edit. */
const LARGE_CHANGE = 100;
/**
 * Messages indexed in one task when a large change is indexed: the rest waits
 * for the next paint. A segment's thousand messages in one task took 80 ms at
 * load 3 and 272 ms at load 8, and that task held back the frame showing the
 * newest 50 on a first open (issue 13, session 9).
 */
const SLICE = 100;
/** Slices at most, then the rest at once: bounds the wait for a tab that never paints (each slice waits ≤ PAINT_WAIT_MS). */
const MAX_SLICES = 50;
/** A hidden tab paints no frames: indexing waits at most this long for one. */
const PAINT_WAIT_MS = 1000;

/** Runs `task` once, after the next frame is painted (a frame, then a task of its own), or after PAINT_WAIT_MS without frames. */
function afterPaint(task: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    task();
  };
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(run, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, PAINT_WAIT_MS);
}

/** Resolves after the next frame is painted (`afterPaint`). */
function painted(): Promise<void> {
  return new Promise((resolve) => afterPaint(resolve));
}

/** Most messages one search returns, newest first. */
export const DEVICE_RESULT_LIMIT = 100;

interface Following {
  source: FollowedDocument;
  stop(): void;
}

export class DeviceSearch {
  private readonly shards = new Map<string, Promise<MessageIndex>>();
  private readonly following = new Map<string, Following>();
  private readonly saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private allLoaded: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: SearchStore,
    private readonly saveDelayMs = 1000,
  ) {}

  /** Follows one open segment document of a conversation (again, if it was replaced by a fresh one). */
  follow(conversationId: string, source: FollowedDocument, segment = 0): void {
    const key = shardKey(conversationId, segment);
    if (this.closed || this.following.get(key)?.source === source) return;
    this.unfollowShard(key);
    this.followShard(key, source);
  }

  /** Stops following every segment of a conversation. */
  unfollow(conversationId: string): void {
    for (const key of [...this.following.keys()]) if (conversationOf(key) === conversationId) this.unfollowShard(key);
  }

  /** Conversations followed now. */
  followed(): string[] {
    return [...new Set([...this.following.keys()].map(conversationOf))];
  }

  private followShard(conversationId: string, source: FollowedDocument): void {
    const messages = messagesOf(source.doc);
    let ready = false;
    const changed = new Set<string>();
    /** Whether `changed` is being indexed a slice per frame: what changes meanwhile joins it. */
    let slicing = false;
    const current = () => this.following.get(conversationId) === following;
    /** Indexes up to `limit` of `changed`; returns whether the index changed. */
    const indexSome = (index: MessageIndex, limit: number): boolean => {
      let any = false;
      let count = 0;
      for (const id of changed) {
        if (count++ >= limit) break;
        changed.delete(id);
        if (index.update(id, messages.get(id))) any = true;
      }
      if (any) this.scheduleSave(conversationId);
      return any;
    };
    const flush = () => {
      void this.shard(conversationId).then((index) => {
        if (current() && !slicing) indexSome(index, Number.POSITIVE_INFINITY);
      });
    };
    // A whole segment arriving (scrolled back to, or the newest on a fresh device) is indexed after it is painted,
    // a slice per frame, so no frame waits for all of it (issue 13).
    const flushInSlices = async () => {
      if (slicing) return;
      slicing = true;
      try {
        const index = await this.shard(conversationId);
        for (let slices = 0; changed.size > 0 && slices < MAX_SLICES; slices++) {
          await painted();
          if (!current()) return;
          indexSome(index, SLICE);
        }
        if (current()) indexSome(index, Number.POSITIVE_INFINITY);
      } finally {
        slicing = false;
      }
    };
    const onChange = (event: Y.YMapEvent<Message>) => {
      if (!ready) return; // The sync once loaded covers it.
      for (const id of event.keysChanged) changed.add(id);
      if (event.keysChanged.size >= LARGE_CHANGE || slicing) void flushInSlices();
      else flush();
    };
    messages.observe(onChange);
    const following: Following = { source, stop: () => messages.unobserve(onChange) };
    this.following.set(conversationId, following);
    void (async () => {
      await source.whenLocalLoaded;
      const index = await this.shard(conversationId);
      if (this.following.get(conversationId) !== following) return;
      ready = true;
      // What the device has now: the saved index learns only what changed since it was saved. A segment that
      // arrived before its local copy loaded (a fresh device subscribes at once) is a large change like any other.
      if (messages.size < LARGE_CHANGE) {
        if (index.sync(messages.entries())) this.scheduleSave(conversationId);
        return;
      }
      for (const id of messages.keys()) changed.add(id);
      for (const id of index.ids()) if (!messages.has(id)) changed.add(id);
      await flushInSlices();
    })().catch((error: unknown) => console.warn('Search could not follow a conversation', error));
  }

  private unfollowShard(key: string): void {
    this.following.get(key)?.stop();
    this.following.delete(key);
  }

  /** Messages holding every term of `query`, newest first: in every conversation on the device, or in one. */
  async search(query: string, conversationId?: string): Promise<DeviceHit[]> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    // Every saved index, once: a conversation's older segments have their own.
    await this.loadAll();
    const keys = [...this.shards.keys()].filter((key) => conversationId === undefined || conversationOf(key) === conversationId);
    const hits: DeviceHit[] = [];
    for (const key of keys) {
      const index = await this.shard(key);
      const live = this.following.get(key)?.source.doc;
      // Each index's newest are enough: only the newest of all are returned.
      for (const hit of index.find(terms, DEVICE_RESULT_LIMIT)) {
        if (live && !stillSays(messagesOf(live).get(hit.id))) continue;
        hits.push({ ...hit, conversationId: conversationOf(key) });
      }
    }
    return hits.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, DEVICE_RESULT_LIMIT);
  }

  /** Saves every index that changed, now (the page is going away). */
  async flush(): Promise<void> {
    const ids = [...this.saveTimers.keys()];
    for (const id of ids) clearTimeout(this.saveTimers.get(id));
    this.saveTimers.clear();
    await Promise.all(ids.map((id) => this.save(id)));
  }

  /** Stops following; `save`: write what changed first (not when the data is about to be deleted). */
  async close(save: boolean): Promise<void> {
    for (const key of [...this.following.keys()]) this.unfollowShard(key);
    if (save) await this.flush();
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    this.saveTimers.clear();
    this.closed = true;
    await this.store.close();
  }

  private shard(conversationId: string): Promise<MessageIndex> {
    let shard = this.shards.get(conversationId);
    if (!shard) {
      shard = this.store.load(conversationId).then(
        (saved) => MessageIndex.restore(saved),
        (error: unknown) => {
          console.warn('A saved search index could not be loaded', error);
          return MessageIndex.empty();
        },
      );
      this.shards.set(conversationId, shard);
    }
    return shard;
  }

  /** Every conversation's saved index, once (the first search over everything). */
  private loadAll(): Promise<void> {
    this.allLoaded ??= this.store.loadAll().then(
      (saved) => {
        for (const [id, index] of saved) {
          if (!this.shards.has(id)) this.shards.set(id, Promise.resolve(MessageIndex.restore(index)));
        }
      },
      (error: unknown) => console.warn('The saved search index could not be loaded', error),
    );
    return this.allLoaded;
  }

  private scheduleSave(conversationId: string): void {
    if (this.closed || this.saveTimers.has(conversationId)) return;
    this.saveTimers.set(
      conversationId,
      setTimeout(() => {
        this.saveTimers.delete(conversationId);
        void this.save(conversationId);
      }, this.saveDelayMs),
    );
  }

  private async save(conversationId: string): Promise<void> {
    const index = await this.shard(conversationId);
    try {
      await this.store.save(conversationId, index.serialize());
    } catch (error) {
      console.warn('The search index could not be saved', error);
    }
  }
}

/** Where one segment's index is kept: the conversation id for segment 0, `<id>~<n>` after (the document name's tail). */
function shardKey(conversationId: string, segment: number): string {
  return segment === 0 ? conversationId : `${conversationId}${SEGMENT_SEPARATOR}${segment}`;
}

function conversationOf(key: string): string {
  const separator = key.indexOf(SEGMENT_SEPARATOR);
  return separator < 0 ? key : key.slice(0, separator);
}

/** Whether a message in the document may still be found (it is there and not deleted). */
function stillSays(message: Message | undefined): boolean {
  return Boolean(message && !message.deleted);
}
