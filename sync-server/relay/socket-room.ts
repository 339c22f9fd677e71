/**
 * What a client's socket is bound to: the document's `Room` when this relay
 * owns the document, or an edge room (cluster/edge-room.ts) that serves the
 * socket from a replica and forwards its frames to the owner when another
 * relay does (docs/SCALING.md, "Edges"). The relay and the `/mux` endpoint
 * talk to either the same way.
 */
import type { Connection } from './connection.js';

export interface SocketRoom {
  readonly name: string;
  join(connection: Connection): void;
  leave(connection: Connection): void;
  /** Handles one frame from a connection; a bad frame closes that connection only. */
  receive(connection: Connection, frame: Uint8Array): void;
}

/** Serves sockets for documents another relay owns (cluster/edge-rooms.ts). */
export interface EdgeRooms {
  /** The edge room for `docName` when `error` (from loading it here) says another relay owns it; null otherwise. */
  acquireIfOwnedElsewhere(docName: string, error: unknown): Promise<SocketRoom> | null;
  /** Whether `room` is one of this provider's. */
  holds(room: SocketRoom): boolean;
  release(room: SocketRoom): void;
}
