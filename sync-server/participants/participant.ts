/**
 * The one way server-side code takes part in loaded documents (the way
 * Hocuspocus extensions do): a participant implements the hooks it needs,
 * and every room calls them at the same moments. Conversation rooms bring
 * their own sequencer first (relay/room.ts); the others are listed once,
 * in order, in server.ts (`DocRegistry.useParticipants`). The hooks are
 * called by `RoomParticipants` (room-participants.ts).
 */
import type { DocName } from '../../shared/doc-names.js';
import type { Room } from '../relay/room.js';

/** What every hook is told: the room and its document's name. */
export interface RoomEvent {
  room: Room;
  docName: DocName;
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
  /** The room is being destroyed (unloaded when idle, given up after a failed write, server shutdown): stop observing it. */
  onRoomUnloaded?(event: RoomEvent): void;
}
