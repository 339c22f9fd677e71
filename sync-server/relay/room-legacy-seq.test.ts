/**
 * The legacy `seq` map in a loaded conversation (docs/SEQ.md): a room whose
 * document has none does not make one (issue 14: an empty map and its
 * observer were ~0.5 KiB of every loaded conversation), and still takes
 * back the numbers a replica returns in one (issue 20, healing: a
 * replica of a document numbered before issue 14, after the store lost
 * it), judged as the sequencer judges every returned number.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { ConvRoot, seqOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { RoomHarness } from '../testing/room-harness.js';

it('numbers messages in a conversation without a seq map and never makes one, in memory or stored', async () => {
  const harness = await RoomHarness.open();
  const alice = harness.connect('alice');
  let message = textMessage('alice', 'unsent');
  alice.change((doc) => {
    message = writeMessage(doc, 'alice', 'hello');
  });
  await harness.room.flushed();

  expect(seqIndexOf(harness.room.doc).get(message.id)).toBe(1);
  expect(harness.room.doc.share.has(ConvRoot.seq)).toBe(false);
  expect((await harness.stored()).share.has(ConvRoot.seq)).toBe(false);
  harness.destroy();
});

it('takes back the seq numbers a replica returns to a room without a seq map: keeps the one that continues the order, replaces a gap', async () => {
  const harness = await RoomHarness.open();
  const alice = harness.connect('alice');
  const [fits, gap] = [newMessageId(), newMessageId()];
  alice.change((doc) => {
    writeMessage(doc, 'alice', 'fits', { id: fits });
    writeMessage(doc, 'alice', 'gap', { id: gap });
    seqOf(doc).set(fits, 1);
    seqOf(doc).set(gap, 9);
  });
  await harness.room.flushed();

  const numbers = seqIndexOf(harness.room.doc);
  expect([numbers.get(fits), numbers.get(gap), numbers.highest]).toEqual([1, 2, 2]);
  // The replacement reaches the replica, which then shows the server's numbers.
  for (const update of alice.socket.updates) Y.applyUpdate(alice.replica, update);
  expect(seqIndexOf(alice.replica).toJSON()).toEqual(numbers.toJSON());
  expect(seqIndexOf(await harness.stored()).toJSON()).toEqual(numbers.toJSON());
  harness.destroy();
});
