/**
 * The one way server-side code takes part in loaded documents (the way
 * Hocuspocus extensions do): a participant implements the hooks it needs,
 * and every room calls them at the same moments. Conversation rooms bring
 * their own sequencer first (relay/room.ts); the others are listed once,
 * in order, in server.ts (`DocRegistry.useParticipants`). The hooks are
 * called by `RoomParticipants` (room-participants.ts).
 *
 * What others learn of a change (a push) waits for `afterStore`: before it,
 * the change is only in memory, and a failed write loses it (its writer
 * hands it over again to the reloaded room).
 */
import type { DocName } from '../../shared/doc-names.js';
import type { Room } from '../relay/room.js';

/** What every hook is told: the room and its document's name. */
export interface RoomEvent {
  room: Room;
  docName: DocName;
}

/** A message that got its number (seq) in a batch: the sequencer's next, or one a replica returned that continues the order. */
export interface NumberedMessage {
  messageId: string;
  seq: number;
}

/** A batch the room has stored, and the messages it numbered (in number order; none in documents without a sequencer). */
export interface StoredBatch extends RoomEvent {
  numbered: readonly NumberedMessage[];
}

export interface ServerParticipant {
  /** Names the participant in logs. */
  readonly name: string;
  /**
   * A document was loaded, before any connection joins it (also the copy
   * loaded again after a failed write). Start observing here; write only
   * through `room.serverChange`, which stores before anyone sees.
   */
  onRoomLoaded?(event: RoomEvent): void;
  /**
   * Called inside the room's batch, right after each change was applied in
   * memory (a client's update or a server change) and before the batch is
   * stored. What the hook writes to `room.doc` here, with `SERVER_ORIGIN`,
   * is stored in the same batch as the change and sent with it (its writer
   * gets only this part). It must be synchronous, so the type asks for
   * `undefined`: a promise would write after the batch was stored.
   */
  beforeStore?(event: RoomEvent): undefined;
  /**
   * The batch is stored and sent: act on what it brought (new messages are
   * in `numbered`). Not called for a batch whose write failed. A throw is
   * logged and costs only this participant.
   */
  afterStore?(batch: StoredBatch): void;
  /** A connection joined or left the room (`room.connections` is already changed): who is here now. */
  onConnectionsChanged?(event: RoomEvent): void;
  /** The room is being destroyed (unloaded when idle, given up after a failed write, server shutdown): stop observing it. */
  onRoomUnloaded?(event: RoomEvent): void;
}
