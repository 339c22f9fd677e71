/**
 * Edges for a cluster (docs/SCALING.md, "Edges"): with PostgreSQL and
 * Redis, a client may connect to any relay. The relay that owns the
 * document (its `Room`, claimed in PostgreSQL) serves it; any other holds
 * the socket as an edge (edge-room.ts) and forwards its frames to the
 * owner's inbox (owner-inbox.ts). This module wires both sides on one relay:
 *
 * - every batch a room here stores is published on the document's batch
 *   channel (the edges' replicas follow it);
 * - this relay listens on two inboxes: its lease identity's (frames for the
 *   documents it owns) and its own edge identity's (answers for its edges);
 * - a timer checks every edge's document in PostgreSQL: an owner whose lease
 *   ran out, or that gave the document up and died, with nobody claiming it
 *   since, closes the edge's sockets with 1013, and their clients reconnect,
 *   to this relay, which then claims the document (or finds the new owner);
 *   a document its live owner gave up is asked for again (the joins,
 *   repeated, make that owner claim it again or answer `moved`); a
 *   document another live relay claimed is followed there with the same
 *   sockets (as when an owner answers `moved`); a replica behind the log is
 *   refilled. An owner's
 *   lease about to run out (a dead owner's) is checked again the moment it
 *   does, so a takeover waits for the lease and not for the next check;
 * - named server changes travel to their document's owner through the same
 *   two inboxes (cluster-commands.ts);
 * - when the bus reconnects, what was sent to this relay meanwhile is lost:
 *   its forwarded connections (as an owner) are closed with 1013, and its
 *   edge rooms ask their clients again for what the replica lacks, so frames
 *   an owner dropped reach it again without a reconnect.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { ClusterCounters, EdgeFollowCause } from '../operations/counters.js';
import type { EdgeRooms, SocketRoom } from '../relay/socket-room.js';
import { DocumentOwnedElsewhere } from '../store/postgres/postgres-document-log.js';
import { PostgresBatchSource } from '../store/postgres/postgres-batch-source.js';
import type { ProcessLease } from '../store/postgres/process-lease.js';
import { batchChannel } from './bus-channels.js';
import type { BusSubscription, ClusterBus } from './cluster-bus.js';
import { ClusterCommands, type ClusterCommandsOptions } from './cluster-commands.js';
import { relayInbox, type InboxMessage } from './edge-channels.js';
import { EdgeRoom } from './edge-room.js';
import { OwnerInbox } from './owner-inbox.js';

/** After a lease's expiry before looking: the query's `now()` was read before its answer travelled here. */
const EXPIRY_MARGIN_MS = 20;

export interface ClusterEdgesOptions {
  bus: ClusterBus;
  pool: pg.Pool;
  lease: ProcessLease;
  registry: DocRegistry;
  log: Logger;
  /** How often edges check their documents' owners in PostgreSQL (default: half the lease). */
  checkEveryMs: number;
  /** Counts edges' refills for `/metrics` (operations/counters.ts). */
  metrics?: ClusterCounters;
  /** How server changes reach their documents' owners (cluster-commands.ts). */
  commands: Omit<ClusterCommandsOptions, 'bus' | 'replyTo' | 'log'>;
}

/** An edge went on at another owner with the same sockets (`onOwnerFollowed`). */
export interface OwnerFollowed {
  docName: string;
  /** The owner's lease identity it forwarded to before. */
  from: string;
  /** The one it forwards to now. */
  to: string;
  cause: EdgeFollowCause;
}

interface EdgeEntry {
  room: Promise<EdgeRoom>;
  /** Once open: a socket's release must count against its own room's entry, never a newer one for the same document. */
  opened: EdgeRoom | null;
  users: number;
}

export class ClusterEdges implements EdgeRooms {
  /** This relay's inbox as an edge: stable for the process (its lease identity changes after a lost lease). */
  readonly edgeId = `edge-${randomUUID()}`;
  readonly owner: OwnerInbox;
  /** Named server changes, run here or sent to their document's owner. */
  readonly commands: ClusterCommands;
  private readonly edges = new Map<string, EdgeEntry>();
  private readonly source: PostgresBatchSource;
  private ownerSubscription: { id: string; subscription: Promise<BusSubscription> } | null = null;
  private edgeSubscription: BusSubscription | null = null;
  private stopReconnects: (() => void) | null = null;
  private stopFollowingIdentities: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The check at the soonest owner's lease expiry, when that comes before the next regular check. */
  private expiryTimer: NodeJS.Timeout | null = null;
  /** When the expiry timer fires (this process's monotonic clock). */
  private expiryDueAt = Number.POSITIVE_INFINITY;
  private checking: Promise<void> | null = null;
  private closed = false;
  private readonly followListeners = new Set<(followed: OwnerFollowed) => void>();

  private constructor(private readonly options: ClusterEdgesOptions) {
    this.owner = new OwnerInbox(options.registry, options.bus, options.log, () => options.lease.id);
    this.commands = new ClusterCommands({ ...options.commands, bus: options.bus, replyTo: this.edgeId, log: options.log });
    this.source = new PostgresBatchSource(options.pool);
  }

  static async start(options: ClusterEdgesOptions): Promise<ClusterEdges> {
    const edges = new ClusterEdges(options);
    const { bus, registry } = options;
    edges.edgeSubscription = await bus.subscribe(relayInbox(edges.edgeId), edges.fromOwner);
    // Before any document is claimed under this identity, so no forwarded frame finds nobody listening; and so for
    // every later identity (after a lost lease), before its row exists.
    await edges.followLeaseIdentity(options.lease.id);
    edges.stopFollowingIdentities = options.lease.beforeRegister((identity) => edges.followLeaseIdentity(identity));
    edges.stopReconnects = bus.onReconnect(() => {
      // Frames forwarded to this relay while its subscription was down are lost: their clients reconnect and resend.
      edges.owner.closeAll(CloseCode.tryAgainLater, 'owner reconnected to the bus');
      // Owners' answers to this relay's edges were lost meanwhile too, and a close among them may have been a client's
      // only word that its owner dropped frames it had taken in (an owner back on the bus first closes all it
      // forwarded): every edge room asks its clients again, and their answers carry those frames to the owner.
      edges.askEdgeClientsAgain();
    });
    registry.useCluster(edges, (docName, fromClock, updates) => edges.publishCommitted(docName, fromClock, updates));
    edges.timer = setInterval(() => edges.check(), options.checkEveryMs);
    edges.timer.unref();
    return edges;
  }

  /** Documents this relay serves as an edge now (tests and metrics). */
  get edgeCount(): number {
    return this.edges.size;
  }

  /** The owner this relay's edge of `docName` forwards to now (tests). */
  ownerOf(docName: string): string | undefined {
    return this.edges.get(docName)?.opened?.owner;
  }

  /** Calls `listener` each time an edge here follows a new owner (logs, tests); returns the call that stops it. */
  onOwnerFollowed(listener: (followed: OwnerFollowed) => void): () => void {
    this.followListeners.add(listener);
    return () => this.followListeners.delete(listener);
  }

  acquireIfOwnedElsewhere(docName: string, error: unknown): Promise<SocketRoom> | null {
    // Only when this very document is owned elsewhere: loading a later history segment reads `conv/<id>` first, and that
    // owner is not the segment's.
    if (!(error instanceof DocumentOwnedElsewhere) || error.docName !== docName || this.closed) return null;
    let entry = this.edges.get(docName);
    if (!entry) {
      const { bus, log, metrics } = this.options;
      const opened = EdgeRoom.open({ docName, owner: error.owner, edge: this.edgeId, bus, source: this.source, log, metrics });
      const created: EdgeEntry = { room: opened, opened: null, users: 0 };
      entry = created;
      this.edges.set(docName, created);
      opened.then(
        (room) => {
          created.opened = room;
          // A new edge's owner may be one that just died (its clients came here): learn when its lease ends now.
          // Only that: a full check now could catch a handover half done (the owner gave the document up after its
          // unload grace and is claiming it again for this very edge's join) and close the edge for nothing.
          void this.checkOwnerExpiry(room.owner);
        },
        () => {
          if (this.edges.get(docName) === created) this.edges.delete(docName);
        },
      );
    }
    entry.users++;
    return entry.room;
  }

  holds(room: SocketRoom): boolean {
    return room instanceof EdgeRoom;
  }

  release(room: SocketRoom): void {
    const entry = this.edges.get(room.name);
    if (!entry || entry.opened !== room) return;
    entry.users--;
    if (entry.users > 0) return;
    this.edges.delete(room.name);
    void (room as EdgeRoom).close(CloseCode.goingAway, 'no sockets left');
  }

  /** Checks every edge's owner now (the timer does it on its own; tests call it to move on). */
  check(): Promise<void> {
    this.checking ??= this.checkOnce()
      .catch((error: unknown) => this.options.log.warn('edges: checking the owners failed', { error: String(error) }))
      .finally(() => (this.checking = null));
    return this.checking;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.commands.close();
    if (this.timer) clearInterval(this.timer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    // Edges' clients reconnect and find the next owner, rather than wait for this relay's lease to be seen ended.
    this.owner.closeAll(CloseCode.tryAgainLater, 'server shutting down');
    this.stopReconnects?.();
    this.stopFollowingIdentities?.();
    await this.checking;
    const entries = [...this.edges.values()];
    this.edges.clear();
    await Promise.all(
      entries.map(async (entry) => (await entry.room.catch(() => null))?.close(CloseCode.goingAway, 'server shutting down')),
    );
    await this.edgeSubscription?.unsubscribe();
    await (await this.ownerSubscription?.subscription.catch(() => null))?.unsubscribe();
  }

  /** Every open edge room asks its clients again for what its replica lacks (`EdgeRoom.askAgain`); a room still opening has asked already. */
  private askEdgeClientsAgain(): void {
    for (const entry of this.edges.values()) entry.opened?.askAgain();
  }

  private publishCommitted(docName: string, fromClock: number, updates: readonly Uint8Array[]): void {
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates([...updates]);
    const batch = { docName, fromClock, toClock: fromClock + updates.length, update };
    // At once, not at the turn's end: the room (which calls this once its own sockets were sent the batch) goes on with
    // its participants (heads, push, search) in this turn, and the edges' sockets waited all of it out
    // (docs/PERFORMANCE.md, issue 11, session 14).
    this.options.bus.publish(batchChannel(docName), batch, { immediately: true }).catch((error: unknown) => {
      // Stored, so not lost: an edge finds the gap at the next batch or at its next check, and reads the log.
      this.options.log.warn('owner: publishing a committed batch failed', { doc: docName, error: String(error) });
    });
  }

  /** Answers from owners: about this relay's edge sockets, and to its commands. */
  private readonly fromOwner = (message: InboxMessage): void => {
    if (message.kind === 'command-done') return this.commands.answered(message);
    if (message.kind !== 'send' && message.kind !== 'close' && message.kind !== 'moved') return;
    const entry = this.edges.get(message.docName);
    void entry?.room.then(
      (room) => {
        if (message.kind !== 'moved') return room.deliver(message);
        // Only from the owner this edge follows: a late answer of an earlier owner must not send it back there.
        if (room.owner === message.from) this.followOwner(room, message.owner, 'moved');
      },
      () => {},
    );
  };

  /** What other relays send this relay as an owner: their clients' frames, and commands. */
  private readonly forOwner = (message: InboxMessage): void => {
    if (message.kind === 'command') this.commands.handle(message);
    else this.owner.handle(message);
  };

  /** Moves `room`'s sockets on to `owner`, and says so: the log, `/metrics` and `onOwnerFollowed` listeners. */
  private followOwner(room: EdgeRoom, owner: string, cause: EdgeFollowCause): void {
    const followed: OwnerFollowed = { docName: room.name, from: room.owner, to: owner, cause };
    if (!room.follow(owner)) return;
    this.options.log.info('edge: the document has a new owner; its sockets follow it', {
      doc: room.name,
      from: followed.from,
      to: owner,
      cause,
    });
    this.options.metrics?.edgeFollowed(cause);
    for (const listener of this.followListeners) listener(followed);
  }

  /** Listens on the inbox of the lease identity this relay claims documents under (a new one after a lost lease). */
  private async followLeaseIdentity(id: string): Promise<void> {
    if (this.closed || this.ownerSubscription?.id === id) return;
    const previous = this.ownerSubscription;
    const subscription = this.options.bus.subscribe(relayInbox(id), this.forOwner);
    this.ownerSubscription = { id, subscription };
    try {
      await subscription;
    } catch (error) {
      // Not listening: the next check tries again (it would skip an identity it believed followed).
      if (this.ownerSubscription?.subscription === subscription) this.ownerSubscription = previous;
      throw error;
    }
    if (previous) await (await previous.subscription.catch(() => null))?.unsubscribe();
  }

  private async checkOnce(): Promise<void> {
    // The lease's hook already did, before the identity's row existed; this retries one that failed (Redis down).
    await this.followLeaseIdentity(this.options.lease.id);
    // Edges repeat their joins every check; four checks unheard means the edge is gone.
    this.owner.sweep(this.options.checkEveryMs * 4);
    if (this.edges.size === 0) return;
    const names = [...this.edges.keys()];
    // Each edge's own owner too: a document given up by an owner that is still alive is claimed again by it for the
    // edge's repeated join, or it answers `moved` (owner-inbox.ts).
    const followed = names.map((name) => this.edges.get(name)?.opened?.owner ?? '');
    // The lease's time left is a duration on PostgreSQL's clock; only it is carried over to this process's timers.
    const { rows } = await this.options.pool.query<{
      name: string;
      owner: string | null;
      live: boolean | null;
      followed_live: boolean | null;
      left_ms: number | null;
      next_clock: string;
    }>(
      `SELECT d.name, d.owner, p.lease_until > now() AS live, f.lease_until > now() AS followed_live,
              (extract(epoch FROM p.lease_until - now()) * 1000)::float8 AS left_ms, d.next_clock
         FROM unnest($1::text[], $2::text[]) AS e(name, followed)
         JOIN doc d ON d.name = e.name
         LEFT JOIN relay_process p ON p.id = d.owner
         LEFT JOIN relay_process f ON f.id = e.followed`,
      [names, followed],
    );
    let soonestExpiryMs = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const entry = this.edges.get(row.name);
      const room = entry && (await entry.room.catch(() => null));
      if (!entry || !room || this.edges.get(row.name) !== entry) continue;
      if (row.owner !== null && row.owner !== room.owner && row.live) {
        // Another live relay claimed it (the owner gave it up): the same sockets follow it, as on a `moved` answer.
        this.followOwner(room, row.owner, 'check');
        soonestExpiryMs = Math.min(soonestExpiryMs, row.left_ms ?? Number.POSITIVE_INFINITY);
      } else if (row.owner === null && row.followed_live) {
        // The owner gave the document up after its unload grace, before this edge's join reached it (a handover half
        // done, the warm-up's 1013): the joins, repeated, make it claim the document again, or answer `moved`.
        room.refresh();
      } else if (row.owner !== room.owner || !row.live) {
        // The owner gave the document up or died: its clients reconnect here and claim it, or reach the new owner.
        this.edges.delete(row.name);
        this.options.log.info('edge: the owner changed; clients reconnect', { doc: row.name, owner: row.owner, live: row.live });
        await room.close(CloseCode.tryAgainLater, 'document moved');
      } else {
        // Before the joins: a client whose frame the owner never heard resends it all after its reconnect.
        room.closeUnheard();
        room.refresh();
        if (Number(row.next_clock) > room.nextClock) room.refill();
        soonestExpiryMs = Math.min(soonestExpiryMs, row.left_ms ?? Number.POSITIVE_INFINITY);
      }
    }
    this.checkAtExpiry(soonestExpiryMs);
  }

  /**
   * A live owner renews its lease every fifth of it, so its time left never drops below the regular check's period;
   * one that does is likely dead. Checking again just after it runs out (PostgreSQL still judges, in that check) lets
   * the clients reconnect and claim at once, instead of up to a whole period later.
   */
  private checkAtExpiry(leftMs: number): void {
    if (this.closed || !(leftMs < this.options.checkEveryMs)) return;
    const delay = Math.max(0, leftMs) + EXPIRY_MARGIN_MS;
    // One timer, the soonest: a later expiry is seen by the check it runs (every check reads every edge's owner).
    if (this.expiryTimer && this.expiryDueAt <= performance.now() + delay) return;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryDueAt = performance.now() + delay;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      this.expiryDueAt = Number.POSITIVE_INFINITY;
      void this.check();
    }, delay);
    this.expiryTimer.unref();
  }

  /** Sets the expiry check for one owner's lease (a new edge's), without checking anything else now. */
  private async checkOwnerExpiry(owner: string): Promise<void> {
    if (this.closed) return;
    try {
      const { rows } = await this.options.pool.query<{ left_ms: number | null }>(
        'SELECT (extract(epoch FROM lease_until - now()) * 1000)::float8 AS left_ms FROM relay_process WHERE id = $1',
        [owner],
      );
      // No row: the owner is long gone; the check closes the edge's sockets.
      this.checkAtExpiry(rows[0]?.left_ms ?? 0);
    } catch (error) {
      // The regular check comes anyway.
      this.options.log.warn("edges: reading a new edge's owner lease failed", { owner, error: String(error) });
    }
  }
}
