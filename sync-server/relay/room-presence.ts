/**
 * Presence (y-protocols awareness) of one room: checked (awareness-guard.ts),
 * applied, forwarded to every connection of the document, the sender
 * included (the stock client counts it as a sign of life), and dropped for
 * a connection when it leaves. Never stored.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { checkAwarenessUpdate } from './awareness-guard.js';
import type { Connection } from './connection.js';
import { encodeAwareness } from './frames.js';
import type { UpdateRefusal } from './room.js';

export interface PresenceHost {
  readonly connections: ReadonlySet<Connection>;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
  sendTo(connection: Connection, frame: Uint8Array): void;
  refuse(connection: Connection, refusal: UpdateRefusal): void;
}

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;

  constructor(
    doc: Y.Doc,
    private readonly host: PresenceHost,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own in most documents.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** Sends everyone's presence to a connection that just joined. */
  greet(connection: Connection): void {
    const states = this.awareness.getStates();
    if (states.size > 0) {
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  /** Removes the presence a connection set, when it leaves. */
  forget(connection: Connection): void {
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
  }

  apply(connection: Connection, update: Uint8Array): void {
    const refusal = checkAwarenessUpdate(update, connection, {
      awareness: this.awareness,
      connections: this.host.connections,
      ownerOf: (clientId) => this.host.ownerOf(clientId),
    });
    if (refusal) return this.host.refuse(connection, refusal);
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
    } catch (error) {
      this.host.refuse(connection, { rule: 'malformed-awareness', detail: String(error) });
    }
  }

  /** The server's own presence (e.g. the robot typing), or null to clear it. */
  setServerState(state: Record<string, unknown> | null): void {
    this.awareness.setLocalState(state);
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const owner = origin as Connection;
    if (this.host.connections.has(owner)) {
      for (const id of change.added) owner.awarenessIds.add(id);
      for (const id of change.updated) owner.awarenessIds.add(id);
      for (const id of change.removed) owner.awarenessIds.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const connection of this.host.connections) this.host.sendTo(connection, frame);
  };
}
