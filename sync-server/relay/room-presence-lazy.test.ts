/** A room makes its presence on first use (issue 14): a document loaded for a server change alone never holds an `Awareness`. */
import { describe, expect, it } from 'vitest';
import { RoomHarness } from '../testing/room-harness.js';
import { watchedPresenceCount } from './presence-expiry.js';

describe('Room presence', () => {
  it('is not made for a server change, is made when someone joins, and is let go with the room', async () => {
    const before = watchedPresenceCount();
    const harness = await RoomHarness.open({ docName: 'user/u1' });
    await harness.room.serverChange((doc) => doc.getMap('conversations').set('c1', { kind: 'direct' }));
    expect(watchedPresenceCount()).toBe(before);

    const device = harness.connect('u1');
    expect(watchedPresenceCount()).toBe(before + 1);
    harness.room.leave(device.connection);
    harness.destroy();
    expect(watchedPresenceCount()).toBe(before);
  });
});
