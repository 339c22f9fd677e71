/**
 * A loaded document and the connections to it. The room applies what
 * clients send, has the sequencer number new messages, writes every change
 * to the store before anyone else sees it, and forwards awareness.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import type { DocStore, StoredDoc } from '../store/doc-store.js';
import { SERVER_ORIGIN, Sequencer } from '../participants/sequencer.js';
import type { Connection } from './connection.js';
import { decodeFrame, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, FrameError, type Frame } from './frames.js';

export interface RoomOptions {
  docName: string;
  store: DocStore;
  stored: StoredDoc;
  /** Conversation documents are sequenced; user documents are not. */
  sequenced: boolean;
  compactThreshold: number;
  /** A connection with more than this many bytes waiting to be sent is closed (1013). */
  maxBufferedBytes: number;
  log: Logger;
  /** Called when a write failed: the room's memory is ahead of the disk and must not be reused. */
  onStorageFailure(room: Room): void;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  private readonly sequencer: Sequencer | null;
  /** Persistence and broadcasts run one after another, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private failed = false;
  private nextClock: number;
  private logEntries: number;
  /** Updates produced by the transaction being applied, collected by the doc's update handler. */
  private captured: Uint8Array[] = [];

  constructor(private readonly options: RoomOptions) {
    Y.applyUpdate(this.doc, options.stored.update, SERVER_ORIGIN);
    this.nextClock = options.stored.nextClock;
    this.logEntries = options.stored.entries;
    this.doc.on('update', (update: Uint8Array) => this.captured.push(update));
    // The server has no presence of its own in most documents.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.sequencer = options.sequenced ? new Sequencer(this.doc) : null;
    if (this.sequencer?.hasWork) this.serverTransact(() => this.sequencer?.sequencePending());
  }

  get name(): string {
    return this.options.docName;
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    // Step 1 asks the client for what we lack: that is how offline edits come in.
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
  }

  /** Handles one frame from a connection; a bad frame closes that connection only. */
  receive(connection: Connection, data: Uint8Array): void {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      this.refuse(connection, error instanceof FrameError ? error.message : 'malformed frame');
      return;
    }
    switch (frame.type) {
      case 'sync-step-1':
        this.answerStep1(connection, frame.stateVector);
        return;
      case 'sync-step-2':
      case 'update':
        this.applyClientUpdate(connection, frame.update);
        return;
      case 'awareness':
        this.applyAwareness(connection, frame.update);
        return;
    }
  }

  /**
   * Runs a change written by the server itself (meta, system messages),
   * stores it and sends it to every connection.
   */
  serverTransact(change: (doc: Y.Doc) => void): void {
    this.captured = [];
    this.doc.transact(() => change(this.doc), SERVER_ORIGIN);
    this.sequencer?.sequencePending();
    const produced = this.takeCaptured();
    if (produced) this.persistThenBroadcast(produced, null, null);
  }

  /** Resolves when every change so far is stored (and broadcast). */
  flushed(): Promise<void> {
    return this.queue;
  }

  destroy(): void {
    this.sequencer?.destroy();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private answerStep1(connection: Connection, stateVector: Uint8Array): void {
    // Answer after the pending writes, so what we send has been stored.
    this.enqueue(async () => {
      if (connection.isClosed) return;
      let diff: Uint8Array;
      try {
        diff = Y.encodeStateAsUpdate(this.doc, stateVector);
      } catch {
        this.refuse(connection, 'malformed state vector');
        return;
      }
      this.sendTo(connection, encodeSyncStep2(diff));
    });
  }

  private applyClientUpdate(connection: Connection, update: Uint8Array): void {
    this.captured = [];
    try {
      Y.applyUpdate(this.doc, update, connection);
    } catch (error) {
      this.captured = [];
      this.refuse(connection, 'update does not decode');
      this.options.log.warn('refused an update that does not decode', {
        doc: this.name,
        user: connection.identity.userId,
        error: String(error),
      });
      return;
    }
    const fromClient = this.takeCaptured();
    this.sequencer?.sequencePending();
    const fromSequencer = this.takeCaptured();
    if (!fromClient && !fromSequencer) return;
    // Others get one frame with the message and its number; the writer only needs the number.
    const forOthers = fromClient && fromSequencer ? Y.mergeUpdates([fromClient, fromSequencer]) : (fromClient ?? fromSequencer);
    if (forOthers) this.persistThenBroadcast(forOthers, connection, fromSequencer);
  }

  private applyAwareness(connection: Connection, update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
    } catch {
      this.refuse(connection, 'malformed awareness update');
    }
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const owner = origin as Connection;
    if (this.connections.has(owner)) {
      for (const id of change.added) owner.awarenessIds.add(id);
      for (const id of change.updated) owner.awarenessIds.add(id);
      for (const id of change.removed) owner.awarenessIds.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    // Forwarded to the sender too: the client counts it as a sign of life.
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const connection of this.connections) this.sendTo(connection, frame);
  };

  private takeCaptured(): Uint8Array | null {
    const updates = this.captured;
    this.captured = [];
    if (updates.length === 0) return null;
    return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
  }

  /** Stores `update`, then sends it to everyone but `writer`, who gets `forWriter` instead (if any). */
  private persistThenBroadcast(update: Uint8Array, writer: Connection | null, forWriter: Uint8Array | null): void {
    const clock = this.nextClock++;
    this.enqueue(async () => {
      await this.options.store.append(this.name, clock, update);
      this.logEntries++;
      const frame = encodeUpdate(update);
      for (const connection of this.connections) {
        if (connection !== writer) this.sendTo(connection, frame);
      }
      if (writer && forWriter) this.sendTo(writer, encodeUpdate(forWriter));
      if (this.logEntries > this.options.compactThreshold) await this.compact(clock);
    });
  }

  /**
   * Merges the log up to `lastStoredClock` into one entry. Later appends may
   * already be queued with higher clocks; they keep their own keys.
   */
  private async compact(lastStoredClock: number): Promise<void> {
    await this.options.store.compact(this.name, lastStoredClock + 1, Y.encodeStateAsUpdate(this.doc));
    this.logEntries = 1;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.failed ? undefined : task())).catch((error: unknown) => {
      // A failed write must not be followed by a broadcast of what was not stored.
      if (this.failed) return;
      this.failed = true;
      this.options.log.error('storing a document update failed', { doc: this.name, error: String(error) });
      // Clients reconnect to a fresh copy loaded from disk and hand their edits over again.
      for (const connection of this.connections) connection.close(CloseCode.tryAgainLater, 'storage error');
      this.options.onStorageFailure(this);
    });
  }

  private sendTo(connection: Connection, frame: Uint8Array): void {
    if (connection.socket.bufferedAmount > this.options.maxBufferedBytes) {
      connection.close(CloseCode.tryAgainLater, 'too slow to keep up');
      return;
    }
    connection.send(frame);
  }

  private refuse(connection: Connection, reason: string): void {
    connection.close(CloseCode.invalidUpdate, reason);
  }
}
