/**
 * Presence (y-protocols awareness) of one room: checked (awareness-guard.ts),
 * bounded per person (presence-limits.ts), applied, forwarded to every
 * connection of the document, the sender included (the stock client counts
 * it as a sign of life), and dropped for a connection when it leaves. Never
 * stored.
 *
 * The states are kept as lean records (presence-states.ts), each as the
 * JSON text it came in, and written back in the awareness wire format
 * (awareness-wire.ts), not in a y-protocols `Awareness` per room (issue 14).
 *
 * Changes are gathered for one tick and sent as one frame to each
 * connection, holding the latest state of every client id that changed:
 * forwarding each frame at once made a flood from N sockets cost N² sends.
 * A newcomer is greeted with at most `greetingBytes` of states.
 */
import type { Refusal } from '../../shared/refusals.js';
import { encodeAwarenessUpdate } from './awareness-wire.js';
import type { Connection } from './connection.js';
import { encodeAwareness } from './frames.js';
import { DEFAULT_PRESENCE_LIMITS, PresencePeople, type PresenceLimits } from './presence-limits.js';
import { type PresenceChange, PresenceStates, type PresenceStatesOwner } from './presence-states.js';
import { checkAwarenessUpdate, readAwarenessUpdate } from './trust/awareness-guard.js';

export interface PresenceHost {
  readonly connections: ReadonlySet<Connection>;
  /** Who writes the document under this client id, if anyone yet. */
  ownerOf(clientId: number): string | undefined;
  sendTo(connection: Connection, frame: Uint8Array): void;
  /** A client id a connection announced: its person's from now on (client-claims.ts). */
  claim(clientId: number, userId: string): void;
  refuse(connection: Connection, refusal: Refusal): void;
}

/** Told after every change of a room's presence (list typing follows conversations' typing). */
export type PresenceFollower = () => void;

export class RoomPresence implements PresenceStatesOwner {
  readonly states: PresenceStates;
  private readonly people: PresencePeople;
  /** Client ids changed since the last batch was sent; made when one changes (issue 14: a quiet room holds no set). */
  private pending: Set<number> | null = null;
  private batchTimer: NodeJS.Timeout | null = null;
  /** Made when someone first follows. */
  private followers: PresenceFollower[] | null = null;

  /** `serverClientId`: the document's client id, under which the server's own presence goes. */
  constructor(
    serverClientId: number,
    private readonly host: PresenceHost,
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
  ) {
    this.people = new PresencePeople(limits);
    // The server's own presence goes under the document's client id as it is now, as an `Awareness` would take it;
    // a number, not the document, so a room keeps its presence while its document sleeps (room-dormancy.ts).
    this.states = new PresenceStates(serverClientId, this);
  }

  /** Sends everyone's presence (up to `greetingBytes` of it) to a connection that just joined. */
  greet(connection: Connection): void {
    const ids: number[] = [];
    let bytes = 0;
    for (const [id, json] of this.states.shown()) {
      if (bytes + json.length > this.limits.greetingBytes) continue;
      ids.push(id);
      bytes += json.length;
    }
    if (ids.length > 0) connection.send(encodeAwareness(encodeAwarenessUpdate(this.states.entriesOf(ids))));
  }

  /** Removes the presence a connection set, when it leaves. */
  forget(connection: Connection): void {
    if (connection.awarenessIds.size > 0) this.presenceChanged(this.states.remove(connection.awarenessIds), null);
  }

  apply(connection: Connection, update: Uint8Array): void {
    const entries = readAwarenessUpdate(update);
    if ('rule' in entries) return this.host.refuse(connection, entries);
    const refusal = checkAwarenessUpdate(entries, connection, {
      states: this.states,
      connections: this.host.connections,
      ownerOf: (clientId) => this.host.ownerOf(clientId),
    });
    if (refusal) return this.host.refuse(connection, refusal);
    const verdict = this.people.judge(this.states, connection.identity.userId, entries);
    // Past the person's cap of client ids the connection stays, but its presence is not shown.
    if (verdict === 'over-ids') return;
    if (verdict === 'over-rate') return this.host.refuse(connection, { rule: 'presence-rate' });
    this.presenceChanged(this.states.apply(entries), connection);
  }

  /** The server's own presence (e.g. the robot typing), or null to clear it. */
  setServerState(state: Record<string, unknown> | null): void {
    const change = this.states.setLocal(state === null ? null : JSON.stringify(state));
    if (change) this.presenceChanged(change, 'local');
  }

  /** The server's own presence state, or null. */
  get serverState(): Record<string, unknown> | null {
    return this.states.stateOf(this.states.localId);
  }

  /**
   * Calls `follower` after every change from now on. The list is replaced, not pushed to: a push onto an empty
   * array grows it to 17 slots (~150 B in every room with presence, for its one follower: issue 14).
   */
  follow(follower: PresenceFollower): void {
    this.followers = this.followers ? this.followers.concat(follower) : [follower];
  }

  unfollow(follower: PresenceFollower): void {
    const left = this.followers?.filter((other) => other !== follower) ?? [];
    this.followers = left.length > 0 ? left : null;
  }

  destroy(): void {
    // A change still waiting for its tick goes out now: a room unloaded within the tick (a member's own document let go
    // as list typing clears) would otherwise take the state away from the sockets that stand by without telling them.
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.sendBatch();
    }
    this.states.destroy();
  }

  /**
   * Bookkeeping after a change: a connection's own client ids (the guard's
   * and the claims' view), who shows what, and the batch of the tick. The
   * origin is the connection whose update it was, or null, 'local' (the
   * server's own state) or 'timeout' (presence-expiry.ts).
   */
  presenceChanged(change: PresenceChange, origin: Connection | 'local' | 'timeout' | null): void {
    const { added, updated, removed } = change;
    if (added.length + updated.length + removed.length === 0) return;
    if (origin !== null && typeof origin !== 'string' && this.host.connections.has(origin)) {
      const userId = origin.identity.userId;
      for (const id of [...added, ...updated]) {
        origin.awarenessIds.add(id);
        this.host.claim(id, userId);
        this.states.shownBy(id, userId);
      }
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    const pending = (this.pending ??= new Set());
    for (const id of [...added, ...updated, ...removed]) pending.add(id);
    // One function for every room, handed the room's presence: no bound closure kept per room.
    this.batchTimer ??= setTimeout(sendBatchOf, this.limits.tickMs, this);
    if (this.followers) for (const follower of [...this.followers]) follower();
  }

  /** Sends what changed during the tick, latest states only, as one frame to every connection. */
  sendBatch(): void {
    this.batchTimer = null;
    const pending = this.pending;
    this.pending = null;
    // A removed client id keeps its clock, so its removal is encoded too.
    const entries = pending ? this.states.entriesOf(pending) : [];
    if (entries.length === 0) return;
    const frame = encodeAwareness(encodeAwarenessUpdate(entries));
    for (const connection of this.host.connections) this.host.sendTo(connection, frame);
  }
}

function sendBatchOf(presence: RoomPresence): void {
  presence.sendBatch();
}
