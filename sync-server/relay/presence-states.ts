/**
 * The presence states of one document as the relay keeps them: per client
 * id one record (its clock, its state as the JSON text it was sent as, when
 * it last changed, and the person whose connection showed it). A removed
 * state keeps its record with `json` null, as y-protocols keeps `meta`, so
 * its removal can be sent on and an older state is not taken back.
 *
 * The relay held a y-protocols `Awareness` per room instead: an observer
 * map, `states` with every state parsed, `meta` with an object per client,
 * beside maps of who shows what (~3.2 KiB a loaded room against the
 * reference's 1.5, issue 14). The relay only forwards states, so it keeps
 * their text and parses one where a rule looks inside (`stateOf`). What
 * changes and when follows y-protocols' own `applyAwarenessUpdate`,
 * `removeAwarenessStates`, `setLocalState` and 30 s expiry, so stock
 * clients see the same frames (presence-states.test.ts compares them).
 */
import { outdatedTimeout } from 'y-protocols/awareness';
import type { AwarenessEntry } from './awareness-wire.js';
import { expireWithSharedTimer, stopExpiring } from './presence-expiry.js';

/** One client id's presence. */
interface PresenceRecord {
  clock: number;
  /** The state's JSON text, as received; null once removed. */
  json: string | null;
  /** `Date.now()` when the state last changed or was renewed (expiry). */
  lastUpdated: number;
  /** Who showed it: the person of the connection that set it (presence-limits.ts counts them). */
  person: string | undefined;
}

/** An entry of an awareness update with its JSON read once: whether it removes the state. */
export interface ReadEntry extends AwarenessEntry {
  removes: boolean;
}

/** Client ids whose presence came, changed (or was renewed) and went, as y-protocols' `'update'` event says. */
export interface PresenceChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Told of what expiry changed: others' states dropped ('timeout'), the server's own renewed ('local'). */
export interface PresenceStatesOwner {
  presenceChanged(change: PresenceChange, origin: 'timeout' | 'local'): void;
}

/** Reads each entry's state once; null when one is not JSON (y-protocols would throw applying it). */
export function readEntries(entries: readonly AwarenessEntry[]): ReadEntry[] | null {
  const read: ReadEntry[] = [];
  for (const entry of entries) {
    let state: unknown;
    try {
      state = JSON.parse(entry.json);
    } catch {
      return null;
    }
    read.push({ clientId: entry.clientId, clock: entry.clock, json: entry.json, removes: state === null });
  }
  return read;
}

export class PresenceStates {
  private readonly records = new Map<number, PresenceRecord>();

  /** `localId` is the server's own client id in this document (its `setLocal` state; never a client's). */
  constructor(
    readonly localId: number,
    private readonly owner: PresenceStatesOwner,
  ) {
    expireWithSharedTimer(this);
  }

  /** Whether y-protocols would change anything for this entry: a newer clock, or the removal of a held state at its clock. */
  changes(entry: ReadEntry): boolean {
    const record = this.records.get(entry.clientId);
    const current = record?.clock ?? 0;
    return current < entry.clock || (current === entry.clock && entry.removes && record?.json != null);
  }

  /** Applies an update's entries in order, as `applyAwarenessUpdate` does; returns what changed. */
  apply(entries: readonly ReadEntry[], now = Date.now()): PresenceChange {
    const change: PresenceChange = { added: [], updated: [], removed: [] };
    for (const entry of entries) {
      if (!this.changes(entry)) continue;
      const id = entry.clientId;
      const record = this.records.get(id);
      let clock = entry.clock;
      let json: string | null = entry.removes ? null : entry.json;
      // As y-protocols: nobody removes the server's own state; its clock moves past theirs instead.
      if (json === null && id === this.localId && record?.json != null) {
        clock++;
        json = record.json;
      }
      if (record) {
        record.clock = clock;
        record.json = json;
        record.lastUpdated = now;
      } else {
        this.records.set(id, { clock, json, lastUpdated: now, person: undefined });
      }
      if (!record && !entry.removes) change.added.push(id);
      else if (record && entry.removes) this.removedFrom(change, id);
      else if (!entry.removes) change.updated.push(id);
    }
    return change;
  }

  /** Removes the states of `ids` (a connection left, or they expired), as `removeAwarenessStates`; returns what changed. */
  remove(ids: Iterable<number>, now = Date.now()): PresenceChange {
    const change: PresenceChange = { added: [], updated: [], removed: [] };
    for (const id of ids) {
      const record = this.records.get(id);
      if (!record || record.json === null) continue;
      record.json = null;
      if (id === this.localId) {
        record.clock++;
        record.lastUpdated = now;
      }
      this.removedFrom(change, id);
    }
    return change;
  }

  /**
   * Sets (or clears, with null) the server's own state, as `setLocalState`
   * with a new clock; returns what changed. Clearing a state that is not set
   * changes nothing and sends nothing (y-protocols would send a removal of a
   * state nobody holds).
   */
  setLocal(json: string | null, now = Date.now()): PresenceChange | null {
    const record = this.records.get(this.localId);
    if (json === null && record?.json == null) return null;
    const change: PresenceChange = { added: [], updated: [], removed: [] };
    if (!record) {
      // A first clock of 1: a stock client takes a state only with a clock above the 0 it assumes for an unknown id.
      this.records.set(this.localId, { clock: 1, json, lastUpdated: now, person: undefined });
      change.added.push(this.localId);
      return change;
    }
    const had = record.json !== null;
    record.clock++;
    record.json = json;
    record.lastUpdated = now;
    if (json === null) change.removed.push(this.localId);
    else (had ? change.updated : change.added).push(this.localId);
    return change;
  }

  /** The server's own state's JSON, or null. */
  get localJson(): string | null {
    return this.records.get(this.localId)?.json ?? null;
  }

  /** The clock held for `clientId` (a removed state's too), or undefined when it was never seen. */
  clockOf(clientId: number): number | undefined {
    return this.records.get(clientId)?.clock;
  }

  /** The state's JSON text as received, or null when none is shown. */
  jsonOf(clientId: number): string | null {
    return this.records.get(clientId)?.json ?? null;
  }

  /** The state parsed, for a rule that looks inside (who types, who views); null when none is shown or it is not an object. */
  stateOf(clientId: number): Record<string, unknown> | null {
    return parseState(this.jsonOf(clientId));
  }

  /** Every shown state's client id and JSON text, in the order they first came. */
  *shown(): IterableIterator<[number, string]> {
    for (const [id, record] of this.records) if (record.json !== null) yield [id, record.json];
  }

  /** Who showed the state under `clientId` (presence-limits.ts). */
  personOf(clientId: number): string | undefined {
    return this.records.get(clientId)?.person;
  }

  /** A connection of `userId` showed a state under `clientId`: it counts as theirs until it is removed (the first to show it keeps it). */
  shownBy(clientId: number, userId: string): void {
    const record = this.records.get(clientId);
    if (record && record.person === undefined && record.json !== null) record.person = userId;
  }

  /** How many client ids `userId` shows presence under. */
  countShownBy(userId: string): number {
    let count = 0;
    for (const record of this.records.values()) if (record.person === userId) count++;
    return count;
  }

  /** An awareness update with the latest clock and state of each of `ids` held (a removal as JSON null). */
  entriesOf(ids: Iterable<number>): AwarenessEntry[] {
    const entries: AwarenessEntry[] = [];
    for (const clientId of ids) {
      const record = this.records.get(clientId);
      if (record) entries.push({ clientId, clock: record.clock, json: record.json ?? 'null' });
    }
    return entries;
  }

  /** The shared timer's pass (presence-expiry.ts): renew the server's own state at half the timeout, drop others' at the timeout. */
  expireOutdated(now: number): void {
    const local = this.records.get(this.localId);
    if (local && local.json !== null && outdatedTimeout / 2 <= now - local.lastUpdated) {
      const renewed = this.setLocal(local.json, now);
      if (renewed) this.owner.presenceChanged(renewed, 'local');
    }
    let outdated: number[] | null = null;
    for (const [id, record] of this.records) {
      if (id !== this.localId && record.json !== null && outdatedTimeout <= now - record.lastUpdated) (outdated ??= []).push(id);
    }
    if (outdated) this.owner.presenceChanged(this.remove(outdated, now), 'timeout');
  }

  destroy(): void {
    stopExpiring(this);
  }

  private removedFrom(change: PresenceChange, id: number): void {
    const record = this.records.get(id);
    if (record) record.person = undefined;
    change.removed.push(id);
  }
}

/** A state's JSON parsed when it is an object (what clients set), else null. */
export function parseState(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  const state: unknown = JSON.parse(json);
  return typeof state === 'object' && state !== null && !Array.isArray(state) ? (state as Record<string, unknown>) : null;
}
