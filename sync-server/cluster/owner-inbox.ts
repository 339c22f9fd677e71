/**
 * The owner's side of edges (docs/SCALING.md, "Edges"): frames that clients
 * of other relays sent to a document this relay owns arrive in this relay's
 * inbox, and each such client becomes a connection of the document's
 * `Room` here, with the person's identity as the edge authenticated it. The
 * room treats it exactly like a socket of its own: the same validator,
 * sequencer, quotas, write-before-broadcast. What the room sends that
 * connection goes back to the edge, except document updates (the edge gets
 * those, committed, from the batch channel, and answers sync itself from
 * its replica); a close (a refusal: 4400, 4403, 4413…; 1013 when the room
 * reloads) goes back with its code, and the edge closes the client's socket
 * with it.
 */
import { performance } from 'node:perf_hooks';
import { CloseCode, MessageType } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import { Connection } from '../relay/connection.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import { DocumentOwnedElsewhere } from '../store/postgres/postgres-document-log.js';
import type { Room } from '../relay/room.js';
import type { RelaySocket } from '../relay/socket.js';
import type { ClusterBus } from './cluster-bus.js';
import { type EdgeClient, type InboxMessage, relayInbox } from './edge-channels.js';

interface Remote {
  readonly client: EdgeClient;
  readonly connection: Connection;
  /** The room once joined (null when it could not be had); frames chain on it, so they are handled in order. */
  room: Promise<Room | null>;
  released: boolean;
  /** When its edge last spoke of it (performance.now()); edges repeat `join` on a timer. */
  heardAt: number;
}

/** A client of another relay, seen by the room as a socket: what it is sent travels to that relay. */
class RemoteSocket implements RelaySocket {
  readonly bufferedAmount = 0;

  constructor(
    private readonly inbox: OwnerInbox,
    private readonly client: EdgeClient,
  ) {}

  send(data: Uint8Array, written?: (error?: Error) => void): void {
    // Document updates and sync answers are the edge's own business (committed batches, its replica).
    if (data[0] !== MessageType.sync) this.inbox.reply(this.client, { kind: 'send', frame: data });
    written?.();
  }

  close(code: number, reason: string): void {
    this.inbox.reply(this.client, { kind: 'close', code, reason });
    this.inbox.closed(this.client);
  }
}

export class OwnerInbox {
  private readonly remotes = new Map<string, Remote>();

  constructor(
    private readonly registry: DocRegistry,
    private readonly bus: ClusterBus,
    private readonly log: Logger,
    /** This relay's lease identity now (named in a `moved` answer, so the edge can tell a stale one). */
    private readonly identity?: () => string,
  ) {}

  /** Connections of other relays' clients to rooms here (tests and metrics). */
  get remoteCount(): number {
    return this.remotes.size;
  }

  /** A message from an edge. */
  readonly handle = (message: InboxMessage): void => {
    if (message.kind !== 'join' && message.kind !== 'frame' && message.kind !== 'leave') return;
    const key = keyOf(message);
    let remote = this.remotes.get(key);
    if (message.kind === 'leave') {
      if (remote) this.detach(key, remote);
      return;
    }
    // A frame whose join was lost still comes with everything needed to open the connection.
    remote ??= this.attach(key, message);
    remote.heardAt = performance.now();
    if (message.kind !== 'frame') return;
    const { frame } = message;
    const { connection } = remote;
    remote.room = remote.room.then((room) => {
      if (!room || connection.isClosed) return room;
      try {
        room.receive(connection, frame);
      } catch (error) {
        // As on a socket of this relay: a bug in one frame costs one connection.
        this.log.error('owner: failed to handle a forwarded frame', {
          doc: room.name,
          user: connection.identity.userId,
          error: String(error),
        });
        connection.close(CloseCode.invalidUpdate, 'frame could not be handled');
      }
      return room;
    });
  };

  /**
   * Closes the remote connections no edge spoke of for `silentMs` (their edge
   * died, or their `leave` was lost): they would hold the room and show
   * presence forever. A live edge's client reconnects and is back.
   */
  sweep(silentMs: number): void {
    const now = performance.now();
    for (const remote of [...this.remotes.values()]) {
      if (now - remote.heardAt > silentMs) remote.connection.close(CloseCode.tryAgainLater, 'edge went silent');
    }
  }

  /** Closes every remote connection (this relay may have missed frames: the clients reconnect and hand them over again). */
  closeAll(code: number, reason: string): void {
    for (const remote of [...this.remotes.values()]) remote.connection.close(code, reason);
  }

  /** Sends a message about one client to its edge. */
  reply(client: EdgeClient, message: { kind: 'send'; frame: Uint8Array } | { kind: 'close'; code: number; reason: string }): void {
    this.publish(client.edge, { ...message, docName: client.docName, connectionId: client.connectionId });
  }

  private publish(edge: string, message: InboxMessage): void {
    this.bus.publish(relayInbox(edge), message).catch((error: unknown) => {
      this.log.warn('owner: answering an edge failed', { error: String(error) });
    });
  }

  /** The room closed a remote connection. */
  closed(client: EdgeClient): void {
    const key = keyOf(client);
    const remote = this.remotes.get(key);
    if (remote) this.detach(key, remote);
  }

  private attach(key: string, client: EdgeClient): Remote {
    const connection = new Connection(
      new RemoteSocket(this, client),
      { userId: client.userId, sessionId: client.sessionId },
      client.docName,
    );
    const remote: Remote = { client, connection, room: Promise.resolve(null), released: false, heardAt: performance.now() };
    this.remotes.set(key, remote);
    remote.room = this.registry.acquire(client.docName).then(
      (room) => {
        if (connection.isClosed) {
          this.registry.release(room);
          return null;
        }
        room.join(connection);
        return room;
      },
      (error: unknown) => {
        remote.released = true;
        if (this.remotes.get(key) === remote) this.remotes.delete(key);
        connection.markClosed();
        if (error instanceof DocumentOwnedElsewhere && error.docName === client.docName && this.identity) {
          // This relay gave the document up (its unload grace ran out) after the edge saw it owned here, and another
          // claimed it: the edge follows that owner with the same sockets (the warm-up's 1013, docs/SCALING.md, "Edges").
          this.log.info('owner: a forwarded document is owned elsewhere now; its edge follows', {
            doc: client.docName,
            owner: error.owner,
          });
          this.publish(client.edge, { kind: 'moved', docName: client.docName, from: this.identity(), owner: error.owner });
          return null;
        }
        // The log is unreachable (or this relay's lease ran out): the client reconnects and finds the owner.
        this.log.warn('owner: a forwarded document could not be opened here', { doc: client.docName, error: String(error) });
        this.reply(client, { kind: 'close', code: CloseCode.tryAgainLater, reason: 'document moved' });
        return null;
      },
    );
    return remote;
  }

  private detach(key: string, remote: Remote): void {
    if (this.remotes.get(key) === remote) this.remotes.delete(key);
    remote.connection.markClosed();
    void remote.room.then((room) => {
      if (!room || remote.released) return;
      remote.released = true;
      room.leave(remote.connection);
      this.registry.release(room);
    });
  }
}

function keyOf(client: EdgeClient): string {
  return `${client.edge}\u0000${client.docName}\u0000${client.connectionId}`;
}
