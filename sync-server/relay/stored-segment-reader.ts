/**
 * The sockets of a closed history segment (docs/SEGMENTS.md), served from
 * its stored log until something needs the document itself (issue 13: a
 * fresh device's first open of a conversation, ≤ 50 ms of relay time).
 * A closed segment's log is one compacted entry, the relay's own encoding
 * of the whole segment; a device that holds nothing of it (its step 1
 * carries an empty state vector) is sent that entry as its step 2, with no
 * `Y.Doc` built (the room's load is one `applyUpdate` of ~30 ms for 1,000
 * messages). The relay's own step 1 is not needed then: the device has
 * nothing the relay lacks.
 *
 * Anything else loads the room, as the registry loads any document, joins
 * every connection here to it (each gets the room's step 1, so a device's
 * offline edits come in) and passes the frame on, in order: a write, a
 * device that holds some of the segment, a step 2. So the validator, the
 * write quotas and late numbering are the room's, as before. Presence
 * frames pass to a loaded room only (the client sends its state when it
 * subscribes; presence is read in the newest segment).
 *
 * Once the document was loaded here, by these sockets or by anyone (a late
 * number copied in, the heads, a compaction: `attach`), the stored entry
 * may be stale, and every later socket is joined to the room instead.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import type { Connection } from './connection.js';
import { decodeFrame, encodeSyncStep2, FrameError } from './frames.js';
import type { Room } from './room.js';
import type { SocketRoom } from './socket-room.js';
import { AWARENESS_FRAME, onceLoaded, RoomStandIn, releaseHeld, type StandbyHost } from './standby-user-room.js';

export class StoredSegmentReader extends RoomStandIn implements SocketRoom {
  /** The segment's stored entry as a step 2 frame; null once the document has been loaded (it may have changed since). */
  private storedAnswer: Uint8Array | null;
  /** The room these sockets hold (one hold for all of them), once something needed it. */
  private held: Promise<Room> | null = null;

  constructor(
    name: string,
    /** The segment's log, one entry. */
    stored: Uint8Array,
    host: StandbyHost,
  ) {
    super(name, host);
    this.storedAnswer = encodeSyncStep2(stored);
  }

  /** Whether the stored entry may still answer (tests). */
  get answersFromStore(): boolean {
    return this.storedAnswer !== null;
  }

  /** The room held for the sockets is released. */
  protected noneHolds(): void {
    if (this.held) releaseHeld(this.held, this.host);
    this.held = null;
  }

  /** The registry loaded the document, for anyone: the stored entry is no answer any more; join the connections to it. */
  override attach(room: Room): void {
    this.storedAnswer = null;
    super.attach(room);
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    if (this.storedAnswer === null) this.withRoom(connection, () => {});
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.room?.leave(connection);
  }

  receive(connection: Connection, frame: Uint8Array): void {
    // Presence to a loaded room only: it loads nothing (the client renews its state every 15 s).
    if (frame[0] === AWARENESS_FRAME && !this.room) return;
    if (this.room || this.held || this.storedAnswer === null) {
      this.withRoom(connection, (room) => room.receive(connection, frame));
      return;
    }
    let decoded: ReturnType<typeof decodeFrame>;
    try {
      decoded = decodeFrame(frame);
    } catch (error) {
      connection.close(CloseCode.invalidUpdate, error instanceof FrameError ? error.message : 'malformed frame');
      return;
    }
    if (decoded.type === 'sync-step-1' && holdsNothing(decoded.stateVector)) {
      this.answer(connection, this.storedAnswer);
      return;
    }
    this.withRoom(connection, (room) => room.receive(connection, frame));
  }

  /** Sends the stored segment, shared by every connection that asks while it is queued (as the room's `SyncAnswers`). */
  private answer(connection: Connection, frame: Uint8Array): void {
    if (!connection.admits(frame.byteLength, { answer: true, shared: true }, frame)) return;
    connection.send(frame, { answer: true, shared: true });
  }

  /**
   * Runs `use` on the loaded room, loading it on first need and holding it
   * while sockets hold this reader. Frames keep their order: each waits on
   * the same promise, in call order.
   */
  private withRoom(connection: Connection, use: (room: Room) => void): void {
    this.held ??= this.host.acquire(this.name);
    const held = this.held;
    void onceLoaded(held, this.host, this.name, connection, (room) => {
      this.attach(room);
      if (!connection.isClosed) use(room);
    }).then((room) => {
      // Not loaded: the next frame tries again.
      if (!room && this.held === held) this.held = null;
    });
  }
}

/** Whether a state vector names no client: the device holds nothing of the document. */
function holdsNothing(stateVector: Uint8Array): boolean {
  try {
    return Y.decodeStateVector(stateVector).size === 0;
  } catch {
    return false;
  }
}
