/**
 * A room whose memory may no longer match the disk is never reused. Here:
 * an update that makes `Y.applyUpdate` throw halfway (after integrating part
 * of it), applied by a room with no validator, as if a check had missed it.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { RoomHarness } from '../testing/room-harness.js';
import { encodeUpdate } from './frames.js';
import { createUpdateValidator } from './trust/update-validator.js';

/** Client 20 sets reads/x; client 10's item names an origin after itself, and Yjs throws on it after integrating the first. */
const HALF_APPLYING_UPDATE = Uint8Array.from([
  2, 1, 20, 0, 40, 1, 5, 114, 101, 97, 100, 115, 1, 120, 1, 125, 1, 1, 10, 0, 136, 10, 5, 1, 125, 2, 0,
]);

it('refuses the update, stores nothing of it and gives up its memory when Yjs throws halfway', async () => {
  const harness = await RoomHarness.open({ docName: 'conv/c', sequenced: true });
  const writer = harness.connect('mallory');
  const bystander = harness.connect('alice');
  writer.send(encodeUpdate(HALF_APPLYING_UPDATE));
  await harness.room.flushed();
  expect(writer.socket.closeCodes).toEqual([CloseCode.invalidUpdate]);
  expect(bystander.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(harness.failures).toEqual([harness.room]);
  expect((await harness.stored()).getMap('reads').has('x')).toBe(false);
  harness.destroy();
});

it('is refused by the validator before it gets that far', () => {
  const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, new Map());
  // As user "x", so that the first item (their own read marker) is fine and the second one is judged.
  expect(validator.check(new Y.Doc(), HALF_APPLYING_UPDATE, { userId: 'x', sessionId: 's' })).toMatchObject({ rule: 'malformed-update' });
});
