/**
 * A room with neither sockets nor disk, for fast tests of what a room does:
 * the real `Room` over an in-memory document log (or any `DocumentLog`),
 * joined by test connections whose sockets keep every frame and close they
 * get. `GatedDocumentLog` lets a test hold an append and then let it through
 * or fail it, to see what happens (and what does not) while a write is
 * pending. Socket-level behaviour (auth, limits, the wire) is tested against
 * the real relay instead (use-test-server.ts, raw-session.ts).
 */
import * as Y from 'yjs';
import { Connection } from '../relay/connection.js';
import { decodeFrame, encodeSyncStep2, encodeUpdate, type Frame } from '../relay/frames.js';
import { Room, type RoomOptions } from '../relay/room.js';
import type { ConnectionQueue } from '../relay/send-queues.js';
import type { RelaySocket } from '../relay/socket.js';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from '../store/document-log.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import { quietLogger } from './quiet-logger.js';

/** A socket that keeps what it is sent. With `holdWrites`, frames stay unwritten (a peer that stopped reading) until `deliver()`. */
export class TestSocket implements RelaySocket {
  readonly frames: Uint8Array[] = [];
  readonly closes: Array<{ code: number; reason: string }> = [];
  terminated = false;
  holdWrites = false;
  bufferedAmount = 0;
  private readonly unwritten: Array<(error?: Error) => void> = [];

  send(data: Uint8Array, written?: (error?: Error) => void): void {
    this.frames.push(data);
    if (!written) return;
    if (this.holdWrites) this.unwritten.push(written);
    else queueMicrotask(() => written());
  }

  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Reports every held frame as written. */
  deliver(): void {
    for (const written of this.unwritten.splice(0)) written();
  }

  /** The frames received so far, decoded. */
  get received(): Frame[] {
    return this.frames.map((frame) => decodeFrame(frame));
  }

  /** The live updates received so far (not sync answers). */
  get updates(): Uint8Array[] {
    return this.received.flatMap((frame) => (frame.type === 'update' ? [frame.update] : []));
  }

  get closeCodes(): number[] {
    return this.closes.map((close) => close.code);
  }
}

/** One person's device in the room: a connection over a `TestSocket`, and a replica to make changes in. */
export interface TestClientOptions {
  /** The connection's send queue (send-queues.ts); none by default. */
  queue?: ConnectionQueue;
  /** The device's document, e.g. one that was connected to a room before (a reconnect); a new one by default. */
  replica?: Y.Doc;
}

export class TestClient {
  readonly socket = new TestSocket();
  readonly connection: Connection;
  readonly replica: Y.Doc;

  constructor(
    private readonly room: Room,
    readonly userId: string,
    options: TestClientOptions = {},
  ) {
    this.replica = options.replica ?? new Y.Doc();
    this.connection = new Connection(this.socket, { userId, sessionId: `${userId}-session` }, room.name, options.queue ?? null);
  }

  /** Makes a change in the replica and sends it as a live update; returns the update. */
  change(edit: (doc: Y.Doc) => void): Uint8Array {
    const before = Y.encodeStateVector(this.replica);
    edit(this.replica);
    const update = Y.encodeStateAsUpdate(this.replica, before);
    this.room.receive(this.connection, encodeUpdate(update));
    return update;
  }

  /** Sends a raw frame, as the wire would hand it over. */
  send(frame: Uint8Array): void {
    this.room.receive(this.connection, frame);
  }

  /** Sends the replica's whole state as a sync step 2 (what a reconnecting device hands over). */
  handOver(): void {
    this.room.receive(this.connection, encodeSyncStep2(Y.encodeStateAsUpdate(this.replica)));
  }
}

export interface RoomHarnessOptions extends Partial<Omit<RoomOptions, 'store' | 'stored' | 'onStorageFailure'>> {
  /** The log the room writes to; an empty in-memory one when absent. */
  store?: DocumentLog;
}

export class RoomHarness {
  private constructor(
    readonly room: Room,
    readonly store: DocumentLog,
    /** Rooms that reported a storage failure (their memory may be ahead of the log). */
    readonly failures: readonly Room[],
  ) {}

  /** Loads `docName` (default `conv/c`) from the log and opens a room on it. */
  static async open(options: RoomHarnessOptions = {}): Promise<RoomHarness> {
    const { store = new MemoryDocumentLog(), ...roomOptions } = options;
    const docName = roomOptions.docName ?? 'conv/c';
    const failures: Room[] = [];
    const room = new Room({
      docName,
      sequenced: docName.startsWith('conv/'),
      compactThreshold: 500,
      log: quietLogger,
      ...roomOptions,
      store,
      stored: await store.load(docName),
      onStorageFailure: (failed) => void failures.push(failed),
    });
    return new RoomHarness(room, store, failures);
  }

  /** Joins a device of `userId` to the room. */
  connect(userId: string, options: TestClientOptions = {}): TestClient {
    const client = new TestClient(this.room, userId, options);
    this.room.join(client.connection);
    return client;
  }

  /** The document as the log holds it now (what a reload would see). */
  async stored(): Promise<Y.Doc> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await this.store.load(this.room.name)).update);
    return doc;
  }

  /** Destroys the room (the clients' replicas stay: a test may reconnect them elsewhere). */
  destroy(): void {
    this.room.destroy();
  }
}

interface HeldCall {
  let: () => void;
  fail: (error: Error) => void;
}

/**
 * A document log whose appends, once `hold()` is called, each wait until the
 * test lets them through (`release`) or fails them (`fail`, nothing stored).
 * Loads likewise after `holdLoads()` (`loadWaiting`, `releaseLoad`, `failLoad`).
 */
export class GatedDocumentLog implements DocumentLog {
  private holding = false;
  private readonly held: HeldCall[] = [];
  private readonly waiters: Array<() => void> = [];
  private holdingLoads = false;
  private readonly heldLoads: HeldCall[] = [];
  private readonly loadWaiters: Array<() => void> = [];

  constructor(readonly inner: DocumentLog = new MemoryDocumentLog()) {}

  get writable(): boolean {
    return this.inner.writable;
  }

  async load(docName: string): Promise<StoredDoc> {
    if (this.holdingLoads) {
      await new Promise<void>((resolve, reject) => {
        this.heldLoads.push({ let: resolve, fail: reject });
        for (const wake of this.loadWaiters.splice(0)) wake();
      });
    }
    return this.inner.load(docName);
  }

  /** From now on, loads wait for `releaseLoad` or `failLoad`. */
  holdLoads(): void {
    this.holdingLoads = true;
  }

  /** Resolves once a load is waiting. */
  loadWaiting(): Promise<void> {
    if (this.heldLoads.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.loadWaiters.push(resolve));
  }

  /** Lets the oldest waiting load through to the inner log. */
  releaseLoad(): void {
    this.nextLoad().let();
  }

  /** Fails the oldest waiting load, as an unreachable database would. */
  failLoad(error = new Error('the database is unreachable')): void {
    this.nextLoad().fail(error);
  }

  private nextLoad(): HeldCall {
    const load = this.heldLoads.shift();
    if (!load) throw new Error('no load is waiting');
    return load;
  }

  async append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    if (this.holding) {
      await new Promise<void>((resolve, reject) => {
        this.held.push({ let: resolve, fail: reject });
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
    return this.inner.append(docName, batch, expectedNextClock);
  }

  compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    return this.inner.compact(docName, uptoClock, merged);
  }

  /** From now on, appends wait for `release` or `fail`. */
  hold(): void {
    this.holding = true;
  }

  /** Resolves once an append is waiting. */
  appendWaiting(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Lets the oldest waiting append through to the inner log. */
  release(): void {
    this.next().let();
  }

  /** Fails the oldest waiting append, as a disk error would; nothing of it is stored. */
  fail(error = new Error('the disk failed')): void {
    this.next().fail(error);
  }

  private next(): HeldCall {
    const append = this.held.shift();
    if (!append) throw new Error('no append is waiting');
    return append;
  }
}
