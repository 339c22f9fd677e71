/** Every room's presence expires on one shared timer (issue 14), by y-protocols' rule: renew our own state, drop others' after 30 s. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { expireWithSharedTimer, watchedPresenceCount } from './presence-expiry.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Another client's state, as it arrives over the wire. */
function receive(into: awarenessProtocol.Awareness, clientId: number, state: Record<string, unknown>): void {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const other = new awarenessProtocol.Awareness(doc);
  other.setLocalState(state);
  const update = awarenessProtocol.encodeAwarenessUpdate(other, [clientId]);
  other.destroy();
  awarenessProtocol.applyAwarenessUpdate(into, update, 'peer');
}

/** Makes a client's state look `ms` older than it is (y-protocols stamps it with the real clock). */
function age(awareness: awarenessProtocol.Awareness, clientId: number, ms: number): void {
  const meta = awareness.meta.get(clientId);
  if (meta) meta.lastUpdated -= ms;
}

describe('expireWithSharedTimer', () => {
  it("drops other clients' states not renewed for 30 s in every room, renews its own, and lets go of destroyed rooms", () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const rooms = [new Y.Doc(), new Y.Doc(), new Y.Doc()].map((doc) => new awarenessProtocol.Awareness(doc));
    const before = watchedPresenceCount();
    for (const awareness of rooms) expireWithSharedTimer(awareness);
    expect(watchedPresenceCount()).toBe(before + 3);
    rooms.forEach((awareness, i) => receive(awareness, 1000 + i, { typing: true }));
    rooms[0].setLocalState({ robot: 'thinking' });
    const ownClock = rooms[0].meta.get(rooms[0].clientID)?.clock ?? 0;

    // 20 s old: kept; our own state is past half the timeout, so it is renewed (a new clock).
    rooms.forEach((awareness, i) => age(awareness, 1000 + i, 20_000));
    age(rooms[0], rooms[0].clientID, 20_000);
    vi.advanceTimersByTime(awarenessProtocol.outdatedTimeout / 10);
    expect(rooms.map((awareness, i) => awareness.states.has(1000 + i))).toEqual([true, true, true]);
    expect(rooms[0].meta.get(rooms[0].clientID)?.clock).toBeGreaterThan(ownClock);

    // 31 s old: gone from every room at the next check; our own state stays.
    rooms.forEach((awareness, i) => age(awareness, 1000 + i, 11_000));
    vi.advanceTimersByTime(awarenessProtocol.outdatedTimeout / 10);
    expect(rooms.map((awareness, i) => awareness.states.has(1000 + i))).toEqual([false, false, false]);
    expect(rooms[0].getLocalState()).toEqual({ robot: 'thinking' });

    for (const awareness of rooms) awareness.destroy();
    expect(watchedPresenceCount()).toBe(before);
  });
});
