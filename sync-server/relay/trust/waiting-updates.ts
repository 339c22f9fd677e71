/**
 * Updates that arrived before their predecessors, kept per connection.
 *
 * Honest clients send such updates: a tab that types while its reconnect
 * handshake is still under way, or a second tab that edits a message of the
 * first before the first tab's own connection has delivered it. Yjs would
 * keep the part it cannot integrate inside the document (`pendingStructs`,
 * `pendingDs`), where `encodeStateAsUpdate` would hand it to every member and
 * write it into the compacted log, unchecked. So the room takes it out of the
 * document right after applying, and keeps the whole update here instead:
 * bounded per connection, dropped when the connection closes, and applied
 * (and validated) again once the document has advanced for a client it waits
 * for. A connection past the bound is closed with 4400.
 */
import type { Connection } from '../connection.js';
import type { UpdateSource } from '../room.js';

export interface WaitingLimits {
  /** Updates one connection may have waiting. */
  maxUpdates: number;
  /** Bytes one connection may have waiting. */
  maxBytes: number;
}

export const DEFAULT_WAITING_LIMITS: WaitingLimits = { maxUpdates: 16, maxBytes: 1024 * 1024 };

interface Waiting {
  update: Uint8Array;
  /** Checked again as it came: a live update, or a step 2 (whose other people's structs are left out, not refused). */
  source: UpdateSource;
  /** Client ids the update waits for, with their state when it was put aside. */
  waitsFor: Array<readonly [clientId: number, clock: number]>;
}

export class WaitingUpdates {
  private readonly byConnection = new Map<Connection, Waiting[]>();

  constructor(private readonly limits: WaitingLimits = DEFAULT_WAITING_LIMITS) {}

  /** Puts an update aside; false when the connection would pass its bound. */
  park(
    connection: Connection,
    update: Uint8Array,
    source: UpdateSource,
    waitsFor: readonly number[],
    stateOf: (clientId: number) => number,
  ): boolean {
    const list = this.byConnection.get(connection) ?? [];
    const bytes = list.reduce((sum, waiting) => sum + waiting.update.byteLength, update.byteLength);
    if (list.length + 1 > this.limits.maxUpdates || bytes > this.limits.maxBytes) return false;
    list.push({ update, source, waitsFor: waitsFor.map((clientId) => [clientId, stateOf(clientId)] as const) });
    this.byConnection.set(connection, list);
    return true;
  }

  /** Takes out, in arrival order, the updates for which something they wait for has arrived. */
  takeReady(stateOf: (clientId: number) => number): Array<{ connection: Connection; update: Uint8Array; source: UpdateSource }> {
    const ready: Array<{ connection: Connection; update: Uint8Array; source: UpdateSource }> = [];
    for (const [connection, list] of this.byConnection) {
      const still: Waiting[] = [];
      for (const waiting of list) {
        const advanced = waiting.waitsFor.some(([clientId, clock]) => stateOf(clientId) > clock);
        if (advanced) ready.push({ connection, update: waiting.update, source: waiting.source });
        else still.push(waiting);
      }
      if (still.length > 0) this.byConnection.set(connection, still);
      else this.byConnection.delete(connection);
    }
    return ready;
  }

  /** Whether no update waits (a room sleeps only then: room-dormancy.ts). */
  get isEmpty(): boolean {
    return this.byConnection.size === 0;
  }

  drop(connection: Connection): void {
    this.byConnection.delete(connection);
  }

  countOf(connection: Connection): number {
    return this.byConnection.get(connection)?.length ?? 0;
  }
}
