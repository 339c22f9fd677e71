/**
 * A device that stops reading costs the room nothing but its own
 * connection, shown without sockets (testing/room-harness.ts): its frames
 * stay queued until its queue passes the bound, then it is dropped, and
 * the devices that read get every change.
 */
import { expect, it } from 'vitest';
import { RoomHarness } from '../testing/room-harness.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { SendQueues } from './send-queues.js';

it('drops a device that stopped reading once its queue passes the bound; the others get every change', async () => {
  const queues = new SendQueues({ queuedBytesPerConnection: 16 * 1024, queuedBytesPerPerson: 64 * 1024 }, quietLogger);
  const harness = await RoomHarness.open();
  const writer = harness.connect('alice', { queue: queues.open('alice', 'conv/c') });
  const stalled = harness.connect('bob', { queue: queues.open('bob', 'conv/c') });
  const reader = harness.connect('carol', { queue: queues.open('carol', 'conv/c') });
  stalled.socket.holdWrites = true;

  const changes = 40;
  for (let i = 0; i < changes; i++) {
    writer.change((doc) => doc.getMap('m').set(`k${i}`, 'x'.repeat(1000)));
    await harness.room.flushed();
  }
  expect(stalled.socket.terminated).toBe(true);
  // Bob was dropped as soon as the next frame would pass the bound: what he holds stays under it.
  const heldBytes = stalled.socket.frames.reduce((total, frame) => total + frame.byteLength, 0);
  expect(heldBytes).toBeLessThanOrEqual(16 * 1024);
  expect(reader.socket.updates).toHaveLength(changes);
  expect(reader.socket.terminated).toBe(false);
  expect(queues.queuedBytesOf('bob')).toBe(0);
  harness.destroy();
});
