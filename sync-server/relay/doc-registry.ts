/**
 * Loads each document once per process and shares it between its
 * connections and the server's own writers. A document whose last user
 * left is unloaded after a grace period, and never before its writes are
 * stored.
 */
import type * as Y from 'yjs';
import { parseDocName, segmentOf, type DocName } from '../../shared/doc-names.js';
import type { Logger } from '../config.js';
import type { ServerParticipant } from '../participants/participant.js';
import type { DocumentLog, StoredDoc } from '../store/document-log.js';
import { Room, type UpdateValidator } from './room.js';
import type { Connection } from './connection.js';
import { CloseCode } from '../../shared/protocol.js';
import type { PresenceLimits } from './presence-limits.js';
import type { PersonWriteQuotas } from './write-quota.js';
import { ConversationSegments, ROLLOVER_OFF, type HistorySegmentBounds } from '../segments/conversation-segments.js';
import type { EdgeRooms, SocketRoom } from './socket-room.js';
import type { RefusalCounters } from '../operations/counters.js';
import type { DocumentCommand, DocumentCommands } from '../commands/document-command.js';
import { LocalCommands } from '../commands/local-commands.js';
import { StandbyUserRoom, type StandbyHost } from './standby-user-room.js';
import { StoredSegmentReader } from './stored-segment-reader.js';
import { RoomDormancy } from './room-dormancy.js';

/** A batch a room stored: its updates, stored at consecutive clocks from `fromClock` on. */
export type CommittedListener = (docName: string, fromClock: number, updates: readonly Uint8Array[]) => void;

export interface DocRegistryOptions {
  store: DocumentLog;
  unloadGraceMs: number;
  /** How long a loaded room handles nothing before its document sleeps as bytes (room-dormancy.ts); 0 or absent: never. */
  roomDormantAfterMs?: number;
  compactThreshold: number;
  log: Logger;
  /** Makes the validator of each loaded document, which checks every client update before it is applied (update-validator.ts). */
  createValidator?: (doc: DocName, clientOwners: ReadonlyMap<number, string>) => UpdateValidator;
  /** People's byte quotas, shared by every room (write-quota.ts). */
  writeQuotas?: PersonWriteQuotas;
  /** Presence per person and its batching, for every room (presence-limits.ts). */
  presenceLimits?: PresenceLimits;
  /** When a conversation's newest segment closes (docs/SEGMENTS.md); rollover is off without it. */
  historySegments?: HistorySegmentBounds;
  /** Every room's refusals by rule, for `/metrics` (operations/server-metrics.ts). */
  metrics?: RefusalCounters;
  /**
   * Whether a person's own `user/<id>` unloads while their sockets stay
   * subscribed (standby-user-room.ts, issue 12); on unless false. Never in
   * a cluster, where an unloaded document may move to another relay.
   */
  userDocumentsStandBy?: boolean;
}

/**
 * One loaded document. A room whose write failed is replaced inside the same
 * entry (`reload`), so its holders, who release the failed room, count
 * against its copy; an entry once forgotten (failed load, eviction, drop)
 * is never counted down again by the holders of its rooms.
 */
interface Entry {
  room: Promise<Room>;
  users: number;
  unloadTimer: NodeJS.Timeout | null;
}

export class DocRegistry {
  private readonly entries = new Map<string, Entry>();
  /** The entry each room was loaded into: `release` counts down that one, never a later entry of the same name. */
  private readonly entryOfRoom = new WeakMap<Room, Entry>();
  private readonly unloadListeners = new Set<(docName: string) => void>();
  /** The sockets of each person's own document held here, loaded or not (standby-user-room.ts). */
  private readonly standbys = new Map<string, StandbyUserRoom>();
  /** The sockets of each closed segment served from its stored log, loaded or not (stored-segment-reader.ts). */
  private readonly readers = new Map<string, StoredSegmentReader>();
  /** Readers being made, by name: a load of that document meanwhile marks them (their stored entry may be stale). */
  private readonly readersMaking = new Map<string, Set<{ loaded: boolean }>>();
  private participants: readonly ServerParticipant[] | null = null;
  /** Sockets to documents another relay owns (a cluster, docs/SCALING.md "Edges"); none in one process. */
  private edges: EdgeRooms | null = null;
  private committedListener: CommittedListener | null = null;
  /** The server's commands (commands/): in this process by default, or routed to owners in a cluster (`useCommands`). */
  private commands: DocumentCommands | null = null;
  /** Every room's commit hook: one for all rooms, calling the listener set later (the cluster bus opens after the registry). */
  private readonly onCommitted: CommittedListener = (docName, fromClock, updates) => this.committedListener?.(docName, fromClock, updates);

  /** Every room's failure hooks: one pair for all rooms, made here (issue 14: per room they cost a closure each). */
  private readonly onStorageFailure: (failed: Room) => void;
  private readonly moveReaders: (failed: Room, readers: Connection[]) => Promise<Room>;

  /** The history segments of every conversation (docs/SEGMENTS.md). */
  readonly segments: ConversationSegments;
  /** The one timer that puts idle rooms to sleep (room-dormancy.ts), shared by every room of the registry. */
  readonly dormancy: RoomDormancy;
  /** How standbys load and let go of their rooms: through `acquire` and `release`, like every holder. */
  private readonly standbyHost: StandbyHost;

  constructor(private readonly options: DocRegistryOptions) {
    this.segments = new ConversationSegments(this, options.historySegments ?? ROLLOVER_OFF, options.log);
    this.dormancy = new RoomDormancy(options.roomDormantAfterMs ?? 0);
    this.onStorageFailure = (failed) => this.evict(failed);
    this.moveReaders = (failed, readers) => this.reload(failed, readers);
    this.standbyHost = { acquire: (docName) => this.acquire(docName), release: (room) => this.release(room), log: options.log };
  }

  isLoaded(docName: string): boolean {
    return this.entries.has(docName);
  }

  /** Loaded documents (for tests and metrics). */
  get loadedCount(): number {
    return this.entries.size;
  }

  /**
   * Sets the server participants every document meets as it loads, in
   * order (participants/participant.ts). Once, before the first document
   * loads: a document loaded without them would miss their hooks for good.
   */
  useParticipants(participants: readonly ServerParticipant[]): void {
    if (this.participants) throw new Error('the server participants are already set');
    if (this.entries.size > 0) throw new Error('the server participants must be set before any document loads');
    this.participants = participants;
  }

  /**
   * In a cluster: sockets to documents another relay owns are served by
   * `edges`, and every batch a room here stores is told to `committed` (the
   * owner publishes it to the edges). Once, at start.
   */
  useCluster(edges: EdgeRooms, committed: CommittedListener): void {
    this.edges = edges;
    this.committedListener = committed;
  }

  /** Where the registry's own server changes (a segment rollover's) are run: the server's command router. Once, at start. */
  useCommands(commands: DocumentCommands): void {
    this.commands = commands;
  }

  /** Runs a named server change wherever its document is owned (commands/document-command.ts). */
  runCommand(command: DocumentCommand): Promise<unknown> {
    this.commands ??= new LocalCommands(this);
    return this.commands.run(command);
  }

  /**
   * The room a client's socket binds to: this relay's `Room`, or, when
   * another relay owns the document, an edge room; pair with `releaseForSocket`.
   */
  async acquireForSocket(docName: string): Promise<SocketRoom> {
    try {
      const read = await this.storedReaderFor(docName);
      if (read instanceof StoredSegmentReader) return read;
      // A closed segment's log of more entries, just read: the room loads from it, not from a second read.
      const room = await this.acquire(docName, read ?? undefined);
      if (!this.standsBy(docName)) return room;
      // The standby holds the sockets; the room is held only while it is used, so it unloads after the grace.
      let standby = this.standbys.get(docName);
      if (!standby) {
        standby = new StandbyUserRoom(docName, this.standbyHost);
        this.standbys.set(docName, standby);
      }
      standby.hold();
      this.release(room);
      return standby;
    } catch (error) {
      const edge = this.edges?.acquireIfOwnedElsewhere(docName, error);
      if (edge) return edge;
      throw error;
    }
  }

  releaseForSocket(room: SocketRoom): void {
    if (room instanceof StoredSegmentReader) {
      if (room.letGo() && this.readers.get(room.name) === room) this.readers.delete(room.name);
    } else if (room instanceof StandbyUserRoom) {
      if (room.letGo() && this.standbys.get(room.name) === room) this.standbys.delete(room.name);
    } else if (this.edges?.holds(room)) this.edges.release(room);
    else this.release(room as Room);
  }

  /** The standby of a person's own document, while a socket holds it (tests, list typing). */
  standbyOf(docName: string): StandbyUserRoom | undefined {
    return this.standbys.get(docName);
  }

  /** The reader of a closed segment's sockets, while a socket holds it (tests). */
  readerOf(docName: string): StoredSegmentReader | undefined {
    return this.readers.get(docName);
  }

  /**
   * Sockets to a closed history segment not loaded here are served from its
   * stored log while they only read it (stored-segment-reader.ts, issue 13):
   * on one relay (in a cluster another relay may own it), for a log of one
   * entry (a compacted closed segment: the relay's own encoding of it).
   * Otherwise the socket binds to the room as any other: null, or the log
   * of more entries this read, for the room's load to use (read once).
   */
  private async storedReaderFor(docName: string): Promise<StoredSegmentReader | StoredDoc | null> {
    const existing = this.readers.get(docName);
    if (existing) {
      existing.hold();
      return existing;
    }
    if (this.edges !== null || this.entries.has(docName)) return null;
    const parsed = parseDocName(docName);
    const segment = parsed ? segmentOf(parsed) : 0;
    if (parsed?.kind !== 'conv' || segment === 0) return null;
    const making = { loaded: false };
    const madeHere = this.readersMaking.get(docName) ?? new Set();
    this.readersMaking.set(docName, madeHere.add(making));
    let stored: StoredDoc;
    try {
      // Not in the list (yet): the room's load says so to the socket, as before.
      const position = await this.segments.positionOf(parsed.id, segment).catch(() => null);
      if (!position || position.newest) return null;
      stored = await this.options.store.load(docName);
    } finally {
      madeHere.delete(making);
      if (madeHere.size === 0 && this.readersMaking.get(docName) === madeHere) this.readersMaking.delete(docName);
    }
    // Loaded by someone meanwhile (written to, perhaps, and unloaded again): what was read may be stale.
    if (making.loaded || this.entries.has(docName)) return null;
    if (stored.entries !== 1) return stored;
    const reader = this.readers.get(docName) ?? new StoredSegmentReader(docName, stored.update, this.standbyHost);
    this.readers.set(docName, reader);
    reader.hold();
    return reader;
  }

  /** Whether `docName` unloads while its sockets stay: a person's own document, on one relay (not a cluster). */
  private standsBy(docName: string): boolean {
    return this.options.userDocumentsStandBy !== false && this.edges === null && parseDocName(docName)?.kind === 'user';
  }

  /** Calls `listener` with the name of each document unloaded; returns the unsubscribe function. */
  onUnload(listener: (docName: string) => void): () => void {
    this.unloadListeners.add(listener);
    return () => this.unloadListeners.delete(listener);
  }

  /**
   * Gets the document's room, loading it if needed; pair every call with
   * `release`. `read`: its log as the caller just read it, which a load
   * here starts from instead of reading it again (ignored if it is loaded).
   */
  async acquire(docName: string, read?: StoredDoc): Promise<Room> {
    let entry = this.entries.get(docName);
    if (!entry) {
      const created: Entry = { room: this.load(docName, read).then((room) => this.loadedInto(room, created)), users: 0, unloadTimer: null };
      // A failed load must not stay cached; whoever acquired it is told by the rejection of this call.
      created.room.catch(() => this.forget(created, docName));
      entry = created;
      this.entries.set(docName, entry);
    }
    entry.users++;
    if (entry.unloadTimer) {
      clearTimeout(entry.unloadTimer);
      entry.unloadTimer = null;
    }
    return entry.room;
  }

  release(room: Room): void {
    const entry = this.entryOfRoom.get(room);
    // A room of a forgotten entry (its reload failed, it was evicted or dropped) holds nothing of a later load's entry.
    if (!entry || this.entries.get(room.name) !== entry) return;
    entry.users--;
    if (entry.users > 0) return;
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    entry.unloadTimer = setTimeout(() => void this.unload(room.name, entry), this.options.unloadGraceMs);
    entry.unloadTimer.unref();
  }

  /**
   * Applies a server-side change to a document here (loading it for the
   * duration). The server's own writes are named commands that run this on
   * the document's owner (commands/local-commands.ts); a closure cannot travel.
   */
  async change(docName: string, change: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.acquire(docName);
    try {
      await room.serverChange(change);
    } finally {
      this.release(room);
    }
  }

  /**
   * Forgets a loaded document at once and closes its connections with 1013:
   * this process no longer owns it (its PostgreSQL lease was lost,
   * docs/SCALING.md), so its room must neither serve nor write it. Clients
   * reconnect to whichever relay owns it now; a write still queued in the
   * room is refused by the log's fence.
   */
  async drop(docName: string): Promise<void> {
    const entry = this.entries.get(docName);
    if (!entry) return;
    this.entries.delete(docName);
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    const room = await entry.room.catch(() => null);
    if (!room) return;
    for (const connection of [...room.connections]) connection.close(CloseCode.tryAgainLater, 'document moved');
    // Destroy once the connections that still hold it have gone, as after a failed write.
    setTimeout(() => room.destroy(), 1000).unref();
    for (const listener of this.unloadListeners) listener(docName);
  }

  /** Stores everything and unloads every document (server shutdown). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.entries()];
    this.entries.clear();
    await Promise.all(
      entries.map(async ([, entry]) => {
        if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
        const room = await entry.room.catch(() => null);
        if (!room) return;
        await room.flushed();
        room.destroy();
      }),
    );
  }

  private async load(docName: string, read?: StoredDoc): Promise<Room> {
    for (const making of this.readersMaking.get(docName) ?? []) making.loaded = true;
    const parsed = parseDocName(docName);
    if (!parsed) throw new Error(`not a document name: ${docName}`);
    // A segment after the first learns from `conv/<id>` where it stands before it loads (it numbers only if newest).
    const segment = segmentOf(parsed);
    const position = parsed.kind === 'conv' && segment > 0 ? await this.segments.positionOf(parsed.id, segment) : null;
    const stored = read ?? (await this.options.store.load(docName));
    return new Room({
      docName,
      store: this.options.store,
      stored,
      sequenced: parsed.kind === 'conv',
      compactThreshold: this.options.compactThreshold,
      log: this.options.log,
      onStorageFailure: this.onStorageFailure,
      moveReaders: this.moveReaders,
      onCommitted: this.onCommitted,
      validator: this.options.createValidator?.(parsed, stored.clientOwners),
      writeQuotas: this.options.writeQuotas,
      presenceLimits: this.options.presenceLimits,
      metrics: this.options.metrics,
      participants: this.participants ?? [],
      segment: parsed.kind === 'conv' ? { segments: this.segments, position } : undefined,
      dormancy: this.dormancy.enabled ? this.dormancy : undefined,
    });
  }

  private async unload(docName: string, entry: Entry): Promise<void> {
    if (this.entries.get(docName) !== entry) return;
    // The entry's room may be a reload still under way; if that fails, its readers were closed and the entry
    // forgotten where it failed (`reload`), so there is nothing left to unload.
    const room = await entry.room.catch(() => null);
    if (!room) return;
    // Its next load is then one update (docs/SEGMENTS.md, "Loading a segment"); a failure leaves the log as it was.
    if (room.compactsAtUnload) {
      await room
        .compactLog()
        .catch((error: unknown) =>
          this.options.log.warn('compacting a document as it unloads failed', { doc: docName, error: String(error) }),
        );
    }
    await room.flushed();
    // Someone may have come back while the writes were finishing.
    if (entry.users > 0 || this.entries.get(docName) !== entry) return;
    this.entries.delete(docName);
    this.standbys.get(docName)?.unloaded(room);
    this.readers.get(docName)?.unloaded(room);
    room.destroy();
    for (const listener of this.unloadListeners) listener(docName);
  }

  /**
   * Replaces a room whose write failed by a copy loaded from disk and joins
   * `readers` to it. Every holder of the failed room still counts: they
   * release by name, so against the copy.
   */
  private reload(failed: Room, readers: Connection[]): Promise<Room> {
    const docName = failed.name;
    const held = this.entryOfRoom.get(failed);
    const room = this.load(docName).then((loaded) => {
      for (const reader of readers) if (!reader.isClosed) loaded.join(reader);
      return this.heldBy(loaded, entry);
    });
    // The copy goes into the failed room's entry, users and all; if that entry was already forgotten, its readers alone hold the copy.
    const entry: Entry = held && this.entries.get(docName) === held ? held : { room, users: readers.length, unloadTimer: null };
    entry.room = room;
    this.entryOfRoom.set(failed, entry);
    this.entries.set(docName, entry);
    room.catch((error: unknown) => {
      this.options.log.error('reloading a document after a failed write failed', { doc: docName, error: String(error) });
      this.forget(entry, docName);
      for (const reader of readers) reader.close(CloseCode.tryAgainLater, 'document unavailable');
    });
    setTimeout(() => failed.destroy(), 1000).unref();
    return room;
  }

  /** A fresh load: the room of `entry`, joined by the sockets standing by for it (standby-user-room.ts). */
  private loadedInto(room: Room, entry: Entry): Room {
    this.heldBy(room, entry);
    this.standbys.get(room.name)?.attach(room);
    this.readers.get(room.name)?.attach(room);
    return room;
  }

  /** Notes that `room` is the room of `entry`, where its holders release it. */
  private heldBy(room: Room, entry: Entry): Room {
    this.entryOfRoom.set(room, entry);
    return room;
  }

  /** Drops `entry` if it is still the document's, with its unload timer (a failed load has nothing to unload). */
  private forget(entry: Entry, docName: string): void {
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    entry.unloadTimer = null;
    if (this.entries.get(docName) === entry) this.entries.delete(docName);
  }

  private evict(room: Room): void {
    const entry = this.entryOfRoom.get(room);
    if (entry) this.forget(entry, room.name);
    // Destroy once the connections that still hold it have gone.
    setTimeout(() => room.destroy(), 1000).unref();
  }
}
