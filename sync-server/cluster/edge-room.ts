/**
 * A document served by an edge: this relay holds client sockets to a
 * document another relay owns (docs/SCALING.md, "Edges"). It keeps a replica
 * of the document made only of committed batches (the log in PostgreSQL,
 * then the owner's batches on the bus, through document-follower.ts), so:
 *
 * - a client's sync step 1 is answered from the replica: nothing in it was
 *   not stored first;
 * - every frame that could change something (sync step 2, updates,
 *   presence) goes to the owner's inbox, where the owner's `Room` validates,
 *   numbers and stores it as if this client were its own socket; the edge
 *   applies nothing itself;
 * - committed batches are sent to every socket here, the writer's own
 *   included (harmless: Yjs updates are idempotent);
 * - the replica is brought up to date only when it is read (a join, a
 *   client's sync step 1, a new owner) or when the batches held for it pass
 *   a bound: applying every batch as it came was half of an edge's cost of
 *   a batch (docs/PERFORMANCE.md, "Session 11: the edges' cost"), and a
 *   room whose clients stay connected reads it only at their joins.
 *
 * The edge never sends anything the owner did not commit, so a refused
 * update reaches nobody, wherever its writer is connected.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import type { Connection } from '../relay/connection.js';
import { decodeFrame, encodeSyncStep1, encodeSyncStep2, encodeUpdate, FrameError } from '../relay/frames.js';
import type { SocketRoom } from '../relay/socket-room.js';
import type { CommittedBatch } from './bus-channels.js';
import type { ClusterCounters } from '../operations/counters.js';
import type { ClusterBus } from './cluster-bus.js';
import { type BatchSource, DocumentFollower } from './document-follower.js';
import { encodeEdgeClient, encodeForwarded, forwardedInbox, type InboxMessage } from './edge-channels.js';

export interface EdgeRoomOptions {
  docName: string;
  /** The owner's lease identity: its inbox. */
  owner: string;
  /** This relay's own inbox, where the owner answers. */
  edge: string;
  bus: ClusterBus;
  source: BatchSource;
  log: Logger;
  /** Counts the follower's refills for `/metrics` (operations/counters.ts). */
  metrics?: ClusterCounters;
}

/** Batches held for the replica before it is brought up to date anyway: bounds what they hold besides the replica. */
const MAX_HELD_UPDATES = 1000;
const MAX_HELD_BYTES = 1 << 20;

/** Connection ids unique in this process, so a late message about a closed connection never reaches a new one. */
let nextConnectionId = 0;

export class EdgeRoom implements SocketRoom {
  private readonly doc = new Y.Doc({ gc: true });
  /** Committed updates not yet applied to `doc`, in clock order (`replica` applies them). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  readonly connections = new Map<string, Connection>();
  private readonly ids = new WeakMap<Connection, string>();
  /** Each connection's identity as the inbox writes it (`encodeEdgeClient`), encoded once at its join. */
  private readonly encodedClients = new WeakMap<Connection, Uint8Array>();
  /** The owner's inbox, for `currentOwner`. */
  private ownerInbox: ReturnType<typeof forwardedInbox>;
  /** Connections a frame of which reached no listener at the owner's inbox: lost, so they must resend (`closeUnheard`). */
  private readonly unheard = new Set<Connection>();
  private follower: DocumentFollower | null = null;
  private closed = false;
  /** The owner's lease identity now: another once the document moved (`follow`). */
  private currentOwner: string;

  private constructor(private readonly options: EdgeRoomOptions) {
    this.currentOwner = options.owner;
    this.ownerInbox = forwardedInbox(options.owner);
  }

  /** Subscribes to the owner's batches, then reads the log: the replica is current once this resolves. */
  static async open(options: EdgeRoomOptions): Promise<EdgeRoom> {
    const room = new EdgeRoom(options);
    try {
      room.follower = await DocumentFollower.start(
        options.bus,
        options.docName,
        options.source,
        room.applyBatch,
        options.log,
        0,
        options.metrics,
      );
    } catch (error) {
      // Said plainly in the log: a bare Redis error here read as "no document loads while Redis is down", but only a
      // document another relay owns needs the bus (the client is told 1013 and tries again; docs/SCALING.md, "Edges").
      throw new Error(`serving ${options.docName} as an edge of relay ${options.owner} failed: ${String(error)}`, { cause: error });
    }
    options.metrics?.edgeOpened();
    return room;
  }

  /** The document as committed up to `nextClock`: what the held batches add is applied first, in one transaction. */
  get replica(): Y.Doc {
    this.applyHeld();
    return this.doc;
  }

  private applyHeld(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    Y.transact(this.doc, () => {
      for (const update of held) {
        try {
          Y.applyUpdate(this.doc, update);
        } catch (error) {
          // As when each batch was applied on arrival: a batch Yjs cannot read is logged and the rest still applied.
          this.options.log.error('edge: a committed batch could not be applied to the replica', { doc: this.name, error: String(error) });
        }
      }
    });
  }

  get name(): string {
    return this.options.docName;
  }

  get owner(): string {
    return this.currentOwner;
  }

  /**
   * The document is owned by `owner` now (the relay this edge forwarded to
   * gave it up, and `owner` claimed it): the same sockets go on with it. The
   * frames sent to the old owner may be lost, so every client is asked again
   * for what the replica lacks (a sync step 1, as at its join), and its answer
   * goes to the new owner; nothing it wrote is lost, and nothing is applied
   * here (Yjs updates the owner already has are no-ops). False when there was
   * nothing to follow (closed, or `owner` is the one it follows already).
   */
  follow(owner: string): boolean {
    if (this.closed || owner === this.currentOwner) return false;
    this.currentOwner = owner;
    this.ownerInbox = forwardedInbox(owner);
    this.unheard.clear();
    this.askAgain();
    return true;
  }

  /**
   * Tells the owner again about every socket here and asks every client
   * again for what the replica lacks (a sync step 1, as at its join): after
   * this relay's bus was away, what the owner sent it meanwhile is lost, and
   * with it, possibly, the owner's close of a forwarded connection whose
   * frames it had dropped (an owner back on the bus closes all it forwarded).
   * The clients' answers carry those frames to the owner again; Yjs updates
   * it already has are no-ops. The sockets stay open.
   */
  askAgain(): void {
    if (this.closed) return;
    const step1 = encodeSyncStep1(Y.encodeStateVector(this.replica));
    for (const connection of this.connections.values()) {
      this.forward(connection, { kind: 'join' });
      connection.send(step1);
    }
  }

  /** The clock the replica has reached (every batch below it applied). */
  get nextClock(): number {
    return this.follower?.nextClock ?? 0;
  }

  /** Reads the log again from the replica's clock (a batch may have been lost with no later one to reveal it). */
  refill(): void {
    this.follower?.refill();
  }

  /**
   * Tells the owner again about every socket here (the edge's timer): a lost
   * `join` or `leave` is then repaired, and the owner drops what it no longer
   * hears about (an edge that died).
   */
  refresh(): void {
    for (const connection of this.connections.values()) this.forward(connection, { kind: 'join' });
  }

  join(connection: Connection): void {
    const id = `${nextConnectionId++}`;
    this.connections.set(id, connection);
    this.ids.set(connection, id);
    this.encodedClients.set(
      connection,
      encodeEdgeClient({
        docName: this.name,
        edge: this.options.edge,
        connectionId: id,
        userId: connection.identity.userId,
        sessionId: connection.identity.sessionId,
      }),
    );
    // Step 1 asks the client for what the replica lacks: its answer goes to the owner.
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.replica)));
    this.forward(connection, { kind: 'join' });
  }

  leave(connection: Connection): void {
    const id = this.ids.get(connection);
    if (id === undefined || !this.connections.delete(id)) return;
    this.unheard.delete(connection);
    this.forward(connection, { kind: 'leave' });
  }

  receive(connection: Connection, data: Uint8Array): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      connection.close(CloseCode.invalidUpdate, error instanceof FrameError ? error.message : 'malformed frame');
      return;
    }
    if (frame.type !== 'sync-step-1') {
      this.forward(connection, { kind: 'frame', frame: data });
      return;
    }
    let answer: Uint8Array;
    try {
      answer = Y.encodeStateAsUpdate(this.replica, frame.stateVector);
    } catch {
      connection.close(CloseCode.invalidUpdate, 'malformed state vector');
      return;
    }
    if (connection.admits(answer.byteLength)) connection.send(encodeSyncStep2(answer));
  }

  /**
   * Closes with 1013 the connections a frame of which the owner never heard
   * (Redis took it, but nobody listened on the owner's inbox: its bus was
   * resubscribing after a reconnection, or its new identity's inbox was not
   * yet heard): their clients reconnect and hand everything over again in
   * their sync step 2. The edge's check calls it, so a dead owner's clients
   * are not sent round while its lease runs out.
   */
  closeUnheard(): void {
    const lost = [...this.unheard];
    this.unheard.clear();
    for (const connection of lost) {
      const id = this.ids.get(connection);
      // A late answer may name a connection that left meanwhile.
      if (id !== undefined && this.connections.get(id) === connection)
        connection.close(CloseCode.tryAgainLater, 'the owner did not hear a frame');
    }
  }

  /** A message from the owner about one of this room's connections. */
  deliver(message: InboxMessage): void {
    if (message.kind !== 'send' && message.kind !== 'close') return;
    const connection = this.connections.get(message.connectionId);
    if (!connection) return;
    if (message.kind === 'send') connection.send(message.frame);
    else connection.close(message.code, message.reason);
  }

  /** Closes every socket with `code` (the owner moved or died: clients reconnect and resync), and stops following. */
  async close(code: number, reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of [...this.connections.values()]) connection.close(code, reason);
    await this.follower?.stop();
    this.held = [];
    this.doc.destroy();
  }

  private readonly applyBatch = (batch: CommittedBatch): void => {
    if (this.closed) return;
    this.held.push(batch.update);
    this.heldBytes += batch.update.byteLength;
    if (this.held.length >= MAX_HELD_UPDATES || this.heldBytes >= MAX_HELD_BYTES) this.applyHeld();
    const frame = encodeUpdate(batch.update);
    for (const connection of this.connections.values()) connection.send(frame);
  };

  private forward(connection: Connection, message: { kind: 'join' } | { kind: 'leave' } | { kind: 'frame'; frame: Uint8Array }): void {
    const encodedClient = this.encodedClients.get(connection);
    if (encodedClient === undefined) return;
    const bytes = encodeForwarded(message.kind, encodedClient, message.kind === 'frame' ? message.frame : undefined);
    this.options.bus.publish(this.ownerInbox, bytes).then(
      (listeners) => {
        // Taken but heard by nobody (PUBLISH to no subscriber is no error): as lost as a refused one. Joins are repeated
        // at every check and need no resend; a client whose frame was lost is closed at the next check.
        if (listeners === 0 && message.kind === 'frame') this.unheard.add(connection);
      },
      (error: unknown) => {
        // Not handed to Redis: the frame is lost, so the client must hand it over again, which a reconnect makes it do.
        this.options.log.warn('edge: forwarding to the owner failed', { doc: this.name, error: String(error) });
        if (message.kind !== 'leave') connection.close(CloseCode.tryAgainLater, 'owner unreachable');
      },
    );
  }
}
