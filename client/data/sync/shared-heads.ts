/**
 * The shared conversation heads this device holds (docs/PROTOCOL.md, "Shared
 * conversation heads"): subscribed over the tab's `/mux` socket under the
 * reserved name `heads` with the highest `rev` held as `since`, kept newest
 * per conversation in IndexedDB (`heads/<userId>`), so a reload or a flap
 * costs the heads that moved and the list shows offline. A server without
 * HEADS_SHARED refuses the subscribe (4403): `offered` stays false and
 * the app reads the per-member heads of `user/<id>` exactly as before.
 */
import {
  encodeHeadsSubscribe,
  HeadMessageType,
  readCaughtUp,
  readHeadBatch,
  readHeadMessage,
  type HeadFrame,
} from '../../../shared/head-frames.js';
import { isSharedHead, type SharedHead } from '../../../shared/heads.js';
import { MuxMessageType, readClosed } from '../../../shared/mux-frames.js';
import { CloseCode } from '../../../shared/protocol.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import type { MuxProvider } from './mux-provider.js';
import { settledWithin } from './settled-within.js';

const HEADS_STORE = 'heads';
const META_STORE = 'meta';
/** The meta record saying the server offered shared heads to this person (so an offline start reads them). */
const OFFERED_KEY = 'offered';
/** The list waits this long at most for the stored copy (as a document waits for its own, doc-connection.ts). */
const LOAD_TIMEOUT_MS = 3000;

/** The database that holds a person's shared heads; deleted at sign-out with their documents. */
export function headsDatabaseName(userId: string): string {
  return `heads/${userId}`;
}

/**
 * The localStorage key that says this device stored `userId`'s shared heads
 * (written once the stored copy says "offered"): a start reads the copy
 * without first listing every IndexedDB database (`databases()`, 80–160 ms
 * for 53 databases in the inbox bench, issue 12). Removed with the copy.
 */
export function headsStoredKey(userId: string): string {
  return `hc.headsStored.${userId}`;
}

/** Forgets that `userId`'s shared heads are stored here (sign-out deletes the copy with the rest of their data). */
export function forgetHeadsStored(userId: string, storage: KeyValueStorage | undefined = globalThis.localStorage): void {
  storage?.removeItem(headsStoredKey(userId));
}

/** What the `/mux` socket hands the heads channel: frames under the name `heads`, and when to subscribe. */
export interface MuxHeadsListener {
  /** The socket opened: the subscribe to send (it carries the current `since`). */
  subscribeFrame(): Uint8Array;
  /** A frame under the name `heads`, from its type on. */
  receive(type: number, message: Uint8Array): void;
  /** The socket went away: the next socket's catch-up may send heads again, and they are not news. */
  socketClosed(): void;
}

/** One conversation's head changed; `live`: it arrived after the catch-up (a new message, not history). */
export type SharedHeadsListener = (conversationIds: readonly string[], live: boolean) => void;

export class SharedHeads implements MuxHeadsListener {
  private readonly heads = new Map<string, { rev: number; head: SharedHead }>();
  private readonly listeners = new Set<SharedHeadsListener>();
  /** Opened on first need: a device whose server never offered shared heads gets no database. */
  private opened: Promise<IDBDatabase | null> | null = null;
  private caughtUp = false;
  /**
   * The heads of a catch-up, held until `heads-caught-up` (or the socket's
   * end): the list then takes them in one change and IndexedDB in one
   * transaction, not 1,000 of each for a person in 1,000 conversations.
   */
  private catchingUp: HeadFrame[] = [];
  private closed = false;
  /** The server answered the subscribe (caught up, or refused), or the socket went away without it. */
  private settle: () => void = () => {};
  private readonly settled = new Promise<void>((resolve) => {
    this.settle = resolve;
  });
  /** The server said it has no shared heads: a stored copy still loading must not bring them back. */
  private refusedByServer = false;
  /** The writes to IndexedDB under way, in one chain (whenStored). */
  private writes: Promise<void> = Promise.resolve();
  /** True once the server sent a head or a caught-up (or did on an earlier visit): the joined view is then the one to read. */
  offered = false;
  /** Resolves once this device's stored copy was read into memory (at once when there is none); never rejects. */
  readonly whenLoaded: Promise<void>;
  /** Whether `whenLoaded` has resolved: the list waits for it, so it never draws 1,000 rows without their previews first. */
  loaded = false;

  constructor(
    readonly userId: string,
    private readonly mux: MuxProvider,
    private readonly factory: IDBFactory | undefined = globalThis.indexedDB,
    private readonly storage: KeyValueStorage | undefined = globalThis.localStorage,
  ) {
    const read = this.load().catch((error: unknown) => console.warn('Could not read the stored conversation heads', error));
    // No stored copy (a first sign-in): the first catch-up, or the server's refusal, or no socket, is what the list waits for,
    // else it draws every row without a preview before the heads come (issue 12's cold first sign-in).
    const headsKnown = read.then(() => (this.offered ? undefined : this.settled));
    // Bounded like a document's local copy (doc-connection.ts): an IndexedDB that never answers must not hide the list.
    this.whenLoaded = settledWithin(headsKnown, LOAD_TIMEOUT_MS).then(() => {
      this.loaded = true;
    });
    mux.setHeadsListener(this);
  }

  get(conversationId: string): SharedHead | undefined {
    return this.heads.get(conversationId)?.head;
  }

  /** The highest `rev` held: the `since` of the next subscribe. */
  since(): number {
    let since = 0;
    for (const { rev } of this.heads.values()) since = Math.max(since, rev);
    return since;
  }

  subscribe(listener: SharedHeadsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeFrame(): Uint8Array {
    this.caughtUp = false;
    // A catch-up in a few `head-batch` frames: 1,000 message events before the list shows cost the page ~100 ms (issue 12).
    return encodeHeadsSubscribe(this.since(), true);
  }

  receive(type: number, message: Uint8Array): void {
    if (this.closed) return;
    if (type === HeadMessageType.head) {
      const frame = readHeadMessage(message);
      if (!frame) return;
      if (this.caughtUp) this.take([frame], true);
      else this.catchingUp.push(frame);
    } else if (type === HeadMessageType.headBatch) {
      const frames = readHeadBatch(message);
      if (!frames || frames.length === 0) return;
      // A catch-up sent again after the first (the relay's bus reconnected) is taken as heads arriving live, as its single heads are.
      if (this.caughtUp) this.take(frames, true);
      else this.catchingUp.push(...frames);
    } else if (type === HeadMessageType.caughtUp) {
      if (readCaughtUp(message) === null) return;
      this.caughtUp = true;
      this.takeCatchUp();
      this.markOffered();
      this.settle();
    } else if (type === MuxMessageType.closed) {
      // Refused as an unknown document: no HEADS_SHARED, the per-member heads stay what the app reads and nothing held is trusted.
      // Any other refusal (too fast) is asked again with the next socket; what is held stays.
      if (readClosed(message)?.code === CloseCode.forbidden) this.refused();
    }
  }

  socketClosed(): void {
    this.caughtUp = false;
    // What arrived of an unfinished catch-up is as good as any head (the newest per conversation wins).
    this.takeCatchUp();
    this.settle();
  }

  private takeCatchUp(): void {
    const frames = this.catchingUp;
    this.catchingUp = [];
    if (frames.length > 0) this.take(frames, false);
  }

  close(): void {
    this.closed = true;
    this.mux.setHeadsListener(null);
    this.listeners.clear();
    void this.opened?.then((db) => db?.close());
  }

  private take(frames: readonly HeadFrame[], live: boolean, fromCopy = false): void {
    const changed: string[] = [];
    const stored: Array<[string, unknown]> = [];
    for (const { conversationId, rev, head } of frames) {
      const held = this.heads.get(conversationId);
      // Newest per conversation: a catch-up crossing a live head must not put an older one back.
      if (held && held.rev > rev) continue;
      this.heads.set(conversationId, { rev, head });
      changed.push(conversationId);
      if (!fromCopy) stored.push([conversationId, { rev, head }]);
    }
    if (stored.length > 0) this.put(HEADS_STORE, stored);
    // A stored copy says "offered" already (it is read only then). Becoming offered tells every held head, these among them: not twice.
    const toldAll = this.markOffered(!fromCopy);
    if (changed.length > 0 && !toldAll) this.emit(changed, live);
  }

  /** From now on the joined view is the one read: when it was not, every held head changes meaning and is told (returns true). */
  private markOffered(store = true): boolean {
    if (this.offered) return false;
    this.refusedByServer = false;
    this.offered = true;
    if (store)
      this.put(META_STORE, [[OFFERED_KEY, true]], () => {
        if (!this.refusedByServer) this.rememberStored(true);
      });
    this.emit([...this.heads.keys()], false);
    return true;
  }

  private refused(): void {
    const wasOffered = this.offered;
    const ids = [...this.heads.keys()];
    this.refusedByServer = true;
    this.settle();
    this.offered = false;
    this.heads.clear();
    void this.forget();
    if (wasOffered) this.emit(ids, false);
  }

  private emit(ids: readonly string[], live: boolean): void {
    for (const listener of this.listeners) listener(ids, live);
  }

  /** The stored heads, under what arrived meanwhile (a higher rev wins). */
  private async load(): Promise<void> {
    if (!(await this.stored()) || this.refusedByServer || this.closed) return;
    const db = await this.database();
    if (!db || this.closed) return;
    try {
      const transaction = db.transaction([HEADS_STORE, META_STORE], 'readonly');
      const heads = transaction.objectStore(HEADS_STORE);
      const [keys, values, offered] = await Promise.all([
        done(heads.getAllKeys()),
        done(heads.getAll()),
        done(transaction.objectStore(META_STORE).get(OFFERED_KEY)),
      ]);
      if (this.closed || this.refusedByServer || offered !== true) return;
      const frames: HeadFrame[] = [];
      keys.forEach((key, i) => {
        const value = values[i] as { rev?: unknown; head?: unknown } | undefined;
        if (typeof value?.rev === 'number' && isSharedHead(value.head))
          frames.push({ conversationId: String(key), rev: value.rev, head: value.head });
      });
      this.take(frames, false, true);
    } catch (error) {
      console.warn('Could not read the stored conversation heads', error);
    }
  }

  private database(): Promise<IDBDatabase | null> {
    this.opened ??= this.open();
    return this.opened;
  }

  /**
   * Whether this device holds a copy: the remembered flag, else where the
   * browser can list its databases, that list (and the flag is written for the
   * next start); else it opens one to see. A stale flag (the copy deleted by
   * the browser) costs an empty database opened and read: still no heads.
   */
  private async stored(): Promise<boolean> {
    if (!this.factory) return false;
    if (this.storage?.getItem(headsStoredKey(this.userId)) === '1') return true;
    if (typeof this.factory.databases !== 'function') return true;
    try {
      const name = headsDatabaseName(this.userId);
      const found = (await this.factory.databases()).some((db) => db.name === name);
      // Stored by a version before the flag: remembered now (a copy without "offered" is read as none, as before).
      if (found) this.rememberStored(true);
      return found;
    } catch {
      return true;
    }
  }

  /** Writes or removes the "copy stored" flag; a full or missing localStorage only costs the next start a `databases()`. */
  private rememberStored(stored: boolean): void {
    try {
      if (stored) this.storage?.setItem(headsStoredKey(this.userId), '1');
      else this.storage?.removeItem(headsStoredKey(this.userId));
    } catch (error) {
      console.warn('Could not remember the stored conversation heads', error);
    }
  }

  /** The server has no shared heads: the copy goes (a later offer fills a new one). */
  private async forget(): Promise<void> {
    this.rememberStored(false);
    const opened = this.opened;
    this.opened = null;
    if (opened) (await opened)?.close();
    else if (!(await this.stored())) return;
    this.factory?.deleteDatabase(headsDatabaseName(this.userId));
  }

  private async open(): Promise<IDBDatabase | null> {
    if (!this.factory) return null;
    return new Promise((resolve) => {
      const request = this.factory?.open(headsDatabaseName(this.userId), 1);
      if (!request) return resolve(null);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(HEADS_STORE);
        request.result.createObjectStore(META_STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        // Without a copy the heads still come from the relay; only offline loses them.
        console.warn('Could not open the stored conversation heads', request.error);
        resolve(null);
      };
    });
  }

  /** Resolves once every head taken so far is in IndexedDB (or could not be written). */
  whenStored(): Promise<void> {
    return this.writes;
  }

  /** Writes `entries` (key, value) in one transaction; `onWritten` runs once they are in IndexedDB (before `whenStored` resolves). */
  private put(store: string, entries: ReadonlyArray<[string, unknown]>, onWritten?: () => void): void {
    // Not skipped once closed: a head that arrived just before the close is written before the database closes.
    if (this.refusedByServer || (this.closed && !this.opened)) return;
    const written = this.database().then((db) => (db ? requestDone(db, store, entries).then(onWritten) : undefined));
    this.writes = Promise.all([this.writes, written]).then(
      () => undefined,
      (error) => console.warn('Could not store a conversation head', error),
    );
  }
}

function requestDone(db: IDBDatabase, store: string, entries: ReadonlyArray<[string, unknown]>): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, 'readwrite');
    const objects = transaction.objectStore(store);
    for (const [key, value] of entries) objects.put(value, key);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
