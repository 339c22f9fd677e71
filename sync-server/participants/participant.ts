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
 *
 * A participant keeps no map of rooms (issue 14: a loaded room's heap).
 * What `onRoomLoaded` returns is its state in that room, one record the
 * room keeps and hands back to each later hook; and it follows the
 * document's root types through the room's one observer per type
 * (`messagesChanged`, `readsChanged`, `metaChanged`), not observers of
 * its own per room.
 */
import type * as Y from 'yjs';
import type { DocName } from '../../shared/doc-names.js';
import type { Message } from '../../shared/schema.js';
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

/**
 * `State` is what the participant keeps per loaded room: returned by
 * `onRoomLoaded` (undefined: nothing to keep, and no `…Changed` calls for
 * that room), handed to every later hook of the same room.
 */
export interface ServerParticipant<State = unknown> {
  /** Names the participant in logs. */
  readonly name: string;
  /**
   * A document was loaded, before any connection joins it (also the copy
   * loaded again after a failed write). Returns this room's state, if any;
   * write only through `room.serverChange`, which stores before anyone sees.
   */
  onRoomLoaded?(event: RoomEvent): State | undefined;
  /**
   * Called inside the room's batch, right after each change was applied in
   * memory (a client's update or a server change) and before the batch is
   * stored. What the hook writes to `room.doc` here, with `SERVER_ORIGIN`,
   * is stored in the same batch as the change and sent with it (its writer
   * gets only this part). It must be synchronous, so the type asks for
   * `undefined`: a promise would write after the batch was stored.
   */
  beforeStore?(event: RoomEvent, state: State | undefined): undefined;
  /**
   * The batch is stored and sent: act on what it brought (new messages are
   * in `numbered`). Not called for a batch whose write failed. A throw is
   * logged and costs only this participant.
   */
  afterStore?(batch: StoredBatch, state: State | undefined): void;
  /** A connection joined or left the room (`room.connections` is already changed): who is here now. */
  onConnectionsChanged?(event: RoomEvent, state: State | undefined): void;
  /** The room is being destroyed (unloaded when idle, given up after a failed write, server shutdown): let go of it. */
  onRoomUnloaded?(event: RoomEvent, state: State | undefined): void;
  /**
   * The document's `messages` changed (a Yjs observer's call, inside the
   * transaction's cleanup: `event.changes` still holds the old values).
   * Called only in rooms where `onRoomLoaded` returned a state.
   */
  messagesChanged?(event: Y.YMapEvent<Message>, state: State, room: RoomEvent): void;
  /** The document's `reads` changed (as `messagesChanged`). */
  readsChanged?(event: Y.YMapEvent<number>, state: State, room: RoomEvent): void;
  /** The document's `meta` changed (as `messagesChanged`). */
  metaChanged?(event: Y.YMapEvent<unknown>, state: State, room: RoomEvent): void;
}
