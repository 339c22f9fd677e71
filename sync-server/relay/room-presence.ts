/**
 * Presence (y-protocols awareness) of one room: checked (awareness-guard.ts),
 * bounded per person (presence-limits.ts), applied, forwarded to every
 * connection of the document, the sender included (the stock client counts
 * it as a sign of life), and dropped for a connection when it leaves. Never
 * stored.
 *
 * Changes are gathered for one tick and sent as one frame to each
 * connection, holding the latest state of every client id that changed:
 * forwarding each frame at once made a flood from N sockets cost N² sends.
 * A newcomer is greeted with at most `greetingBytes` of states.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { checkAwarenessUpdate } from './trust/awareness-guard.js';
import type { Connection } from './connection.js';
import { encodeAwareness } from './frames.js';
import { expireWithSharedTimer } from './presence-expiry.js';
import { DEFAULT_PRESENCE_LIMITS, PresencePeople, type PresenceLimits } from './presence-limits.js';
import type { Refusal } from '../../shared/refusals.js';

export interface PresenceHost {
  readonly connections: ReadonlySet<Connection>;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
  sendTo(connection: Connection, frame: Uint8Array): void;
  /** A client id a connection announced: its person's from now on (client-claims.ts). */
  claim(clientId: number, userId: string): void;
  refuse(connection: Connection, refusal: Refusal): void;
}

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly people: PresencePeople;
  /** Client ids changed since the last batch was sent; made when one changes (issue 14: a quiet room holds no set). */
  private pending: Set<number> | null = null;
  private batchTimer: NodeJS.Timeout | null = null;

  constructor(
    doc: Y.Doc,
    private readonly host: PresenceHost,
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
  ) {
    this.people = new PresencePeople(limits);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // One timer for every room's presence instead of an interval each (presence-expiry.ts).
    expireWithSharedTimer(this.awareness);
    // The server has no presence of its own in most documents.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** Sends everyone's presence (up to `greetingBytes` of it) to a connection that just joined. */
  greet(connection: Connection): void {
    const ids: number[] = [];
    let bytes = 0;
    for (const [id, state] of this.awareness.getStates()) {
      const size = JSON.stringify(state).length;
      if (bytes + size > this.limits.greetingBytes) continue;
      ids.push(id);
      bytes += size;
    }
    if (ids.length > 0) connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
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
    const verdict = this.people.judge(this.awareness, connection.identity.userId, update);
    // Past the person's cap of client ids the connection stays, but its presence is not shown.
    if (verdict === 'over-ids') return;
    if (verdict === 'over-rate') return this.host.refuse(connection, { rule: 'presence-rate' });
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
    // A change still waiting for its tick goes out now: a room unloaded within the tick (a member's own document let go
    // as list typing clears) would otherwise take the state away from the sockets that stand by without telling them.
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.sendBatch();
    }
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const owner = origin as Connection;
    if (this.host.connections.has(owner)) {
      for (const id of change.added) {
        owner.awarenessIds.add(id);
        this.host.claim(id, owner.identity.userId);
      }
      for (const id of change.updated) {
        owner.awarenessIds.add(id);
        this.host.claim(id, owner.identity.userId);
      }
      for (const id of change.removed) owner.awarenessIds.delete(id);
      for (const id of [...change.added, ...change.updated]) this.people.shown(id, owner.identity.userId);
    }
    for (const id of change.removed) this.people.removed(id);
    const pending = (this.pending ??= new Set());
    for (const id of [...change.added, ...change.updated, ...change.removed]) pending.add(id);
    // One function for every room, handed the room's presence: no bound closure kept per room.
    this.batchTimer ??= setTimeout(sendBatchOf, this.limits.tickMs, this);
  };

  /** Sends what changed during the tick, latest states only, as one frame to every connection. */
  sendBatch(): void {
    this.batchTimer = null;
    const pending = this.pending;
    this.pending = null;
    // A removed client id keeps its clock in `meta`, so its removal is encoded too.
    const ids = pending ? [...pending].filter((id) => this.awareness.meta.has(id)) : [];
    if (ids.length === 0) return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const connection of this.host.connections) this.host.sendTo(connection, frame);
  }
}

function sendBatchOf(presence: RoomPresence): void {
  presence.sendBatch();
}
