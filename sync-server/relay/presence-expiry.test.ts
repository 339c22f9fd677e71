/** Every room's presence expires on one shared timer (issue 14), by y-protocols' rule: renew our own state, drop others' after 30 s. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwarenessUpdate } from './awareness-wire.js';
import { watchedPresenceCount } from './presence-expiry.js';
import { PresenceStates, readEntries, type PresenceChange } from './presence-states.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Another client's state, as a stock client sends it. */
function receive(into: PresenceStates, clientId: number, state: Record<string, unknown>): void {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const other = new awarenessProtocol.Awareness(doc);
  other.setLocalState(state);
  const update = awarenessProtocol.encodeAwarenessUpdate(other, [clientId]);
  other.destroy();
  into.apply(readEntries(decodeAwarenessUpdate(update) ?? []) ?? []);
}

describe('expireWithSharedTimer', () => {
  it("drops other clients' states not renewed for 30 s in every room, renews its own, and lets go of destroyed rooms", () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const told: Array<[number, PresenceChange, string]> = [];
    const before = watchedPresenceCount();
    const rooms = [500, 501, 502].map(
      (localId, i) => new PresenceStates(localId, { presenceChanged: (change, origin) => told.push([i, change, origin]) }),
    );
    expect(watchedPresenceCount()).toBe(before + 3);
    rooms.forEach((states, i) => receive(states, 1000 + i, { typing: true }));
    rooms[0].setLocal(JSON.stringify({ robot: 'thinking' }));
    const ownClock = rooms[0].clockOf(500) ?? 0;

    // 20 s on: kept; our own state is past half the timeout, so it was renewed (a new clock) and sent on.
    vi.advanceTimersByTime(20_000);
    expect(rooms.map((states, i) => states.jsonOf(1000 + i) !== null)).toEqual([true, true, true]);
    expect(rooms[0].clockOf(500)).toBeGreaterThan(ownClock);
    expect(told).toContainEqual([0, { added: [], updated: [500], removed: [] }, 'local']);

    // 31 s on: gone from every room, each room told; our own state stays.
    vi.advanceTimersByTime(11_000);
    expect(rooms.map((states, i) => states.jsonOf(1000 + i))).toEqual([null, null, null]);
    for (const i of [0, 1, 2]) expect(told).toContainEqual([i, { added: [], updated: [], removed: [1000 + i] }, 'timeout']);
    expect(rooms[0].stateOf(500)).toEqual({ robot: 'thinking' });

    for (const states of rooms) states.destroy();
    expect(watchedPresenceCount()).toBe(before);
  });
});
