/**
 * The sockets of one person's own `user/<id>` document, kept while the
 * document itself may be unloaded (issue 12: a loaded `user/<id>` of 1,000
 * conversations is 0.7–1.2 MiB of heap, and its person's tabs keep it
 * subscribed for as long as they are open). The subscription and its
 * connections stay here; the room is loaded only while something happens:
 * a sync frame from a tab, a server change (a head mark, a new
 * conversation, a friend request), list typing to show. It then unloads
 * after the registry's grace like any document nobody holds, and the next
 * such event loads it again and joins these connections to it (a join
 * asks the tab for what the relay lacks, with a step 1 the client answers
 * only when it holds something new). The clients see the same protocol.
 *
 * A tab's presence renewals (y-protocols sends its state every 15 s) pass
 * to a loaded room but neither load nor keep it: on its own document a
 * person's presence carries nothing others read (list typing is the
 * server's own state, docs/PROTOCOL.md).
 */
import { CloseCode } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import type { Connection } from './connection.js';
import type { Room } from './room.js';
import type { SocketRoom } from './socket-room.js';

/** Where the standby gets its room: the registry's `acquire` and `release`. */
export interface StandbyHost {
  acquire(docName: string): Promise<Room>;
  release(room: Room): void;
  readonly log: Logger;
}

/**
 * What a stand-in (this standby, stored-segment-reader.ts) does with a room
 * it asked the registry for: `use` it once loaded, closing `connection`
 * only if that throws (handling its frame, as the room does), or with 1013
 * if the document could not be loaded.
 */
export function onceLoaded(
  loaded: Promise<Room>,
  host: StandbyHost,
  docName: string,
  connection: Connection | null,
  use: (room: Room) => void,
): Promise<Room | null> {
  return loaded.then(
    (room) => {
      try {
        use(room);
      } catch (error) {
        host.log.error('relay failed to handle a frame', { doc: docName, error: String(error) });
        connection?.close(CloseCode.invalidUpdate, 'frame could not be handled');
      }
      return room;
    },
    (error: unknown) => {
      host.log.error('loading a document failed', { doc: docName, error: String(error) });
      connection?.close(CloseCode.tryAgainLater, 'document unavailable');
      return null;
    },
  );
}

/**
 * What the two stand-ins for a room (this standby, stored-segment-reader.ts)
 * share: the connections bound to the document here, loaded or not; the
 * room they are joined to while it is loaded; and the count of the sockets
 * holding the stand-in (the registry's `acquireForSocket` to
 * `releaseForSocket`): when the last lets go, it lets go of the room it
 * holds for them.
 */
export abstract class RoomStandIn {
  /** Every connection bound to this document here, whether its room is loaded or not. */
  readonly connections = new Set<Connection>();
  /** The loaded room these connections are joined to; null while unloaded. */
  protected room: Room | null = null;
  private holders = 0;

  constructor(
    readonly name: string,
    protected readonly host: StandbyHost,
  ) {}

  /** Whether the document is loaded for these sockets now (tests). */
  get isLoaded(): boolean {
    return this.room !== null;
  }

  hold(): void {
    this.holders++;
  }

  /** Lets go of one socket's hold; returns true when none is left (the stand-in then releases its room). */
  letGo(): boolean {
    this.holders--;
    if (this.holders > 0) return false;
    this.noneHolds();
    return true;
  }

  /**
   * The registry loaded the document (for anyone: a server change, a frame
   * from here): join every open connection here that is not in it yet, so
   * what the room broadcasts reaches them.
   */
  attach(room: Room): void {
    this.room = room;
    for (const connection of this.connections) {
      if (!connection.isClosed && !room.connections.has(connection)) room.join(connection);
    }
  }

  /**
   * The registry unloaded `room`. Its connections stay in its set on
   * purpose: the last-seen participant reads open connections there as
   * "unloaded, not left" (presence/last-seen-participant.ts).
   */
  unloaded(room: Room): void {
    if (this.room === room) this.room = null;
  }

  /** The last socket let go. */
  protected abstract noneHolds(): void;
}

/** Releases a room a stand-in held (`acquire`d), once its load settles; a failed load held nothing. */
export function releaseHeld(held: Promise<Room>, host: StandbyHost): void {
  held.then(
    (room) => host.release(room),
    () => {},
  );
}

/** The first varuint of a y-websocket frame: 0 sync, 1 awareness. */
export const AWARENESS_FRAME = 1;

export class StandbyUserRoom extends RoomStandIn implements SocketRoom {
  /** The room held while list typing is shown (`keepLoaded`). */
  private kept: Promise<Room> | null = null;

  /** No tab holds it: nor does list typing keep its room. */
  protected noneHolds(): void {
    this.keepLoaded(false);
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    this.withRoom(connection, () => {});
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    const room = this.room;
    if (room) {
      room.leave(connection);
      return;
    }
    // Unloaded: load it once more, so its unload after the grace tells the participants who is left (last seen).
    if (this.connections.size === 0) this.withRoom(null, () => {});
  }

  receive(connection: Connection, frame: Uint8Array): void {
    if (frame[0] === AWARENESS_FRAME) {
      this.room?.receive(connection, frame);
      return;
    }
    this.withRoom(connection, (room) => room.receive(connection, frame));
  }

  /**
   * Holds the room loaded while list typing is shown in its presence
   * (presence/list-typing.ts), so that its clearing reaches the tabs too:
   * a room unloaded meanwhile would take the state away without telling them.
   */
  keepLoaded(keep: boolean): void {
    if (keep && !this.kept && this.connections.size > 0) {
      const kept = this.host.acquire(this.name);
      this.kept = kept;
      kept.then(
        (room) => this.attach(room),
        () => {
          if (this.kept === kept) this.kept = null;
        },
      );
    } else if (!keep && this.kept) {
      releaseHeld(this.kept, this.host);
      this.kept = null;
    }
  }

  /**
   * Runs `use` on the loaded room, holding it meanwhile; the registry
   * unloads it a grace after the last such hold ends. Frames keep their
   * order: every hold waits on the same entry's promise, in call order.
   */
  private withRoom(connection: Connection | null, use: (room: Room) => void): void {
    void onceLoaded(this.host.acquire(this.name), this.host, this.name, connection, (room) => {
      // Every time, not only on a fresh load: a connection that joins while the room is loaded is joined here.
      this.attach(room);
      if (!connection?.isClosed) use(room);
    }).then((room) => room && this.host.release(room));
  }
}
