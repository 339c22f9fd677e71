/**
 * What a room promises about its writes, without sockets or disk
 * (testing/room-harness.ts): nobody sees a change before the log has stored
 * it; a write that fails or that the log refuses reaches nobody and the
 * room gives up its memory (the writer hands the change over again to the
 * reloaded room); while the log refuses writes, changes are refused up
 * front and nothing is lost.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import type { DocumentLog } from '../store/document-log.js';
import { GatedDocumentLog, RoomHarness, type TestClient } from '../testing/room-harness.js';

/** A room on `log` with alice and bob connected. */
async function aliceAndBob(log: DocumentLog): Promise<{ harness: RoomHarness; alice: TestClient; bob: TestClient }> {
  const harness = await RoomHarness.open({ store: log });
  return { harness, alice: harness.connect('alice'), bob: harness.connect('bob') };
}

/** Alice sets x to 1 while the log holds writes: resolves once the room is waiting on that write. */
async function heldChangeOfX(log: GatedDocumentLog, alice: TestClient): Promise<void> {
  log.hold();
  alice.change((doc) => doc.getMap('m').set('x', 1));
  await log.appendWaiting();
}

it('sends nobody a change before the log has stored it', async () => {
  const log = new GatedDocumentLog();
  const { harness, alice, bob } = await aliceAndBob(log);
  await heldChangeOfX(log, alice);
  expect(bob.socket.updates).toHaveLength(0);
  expect((await harness.stored()).getMap('m').has('x')).toBe(false);

  log.release();
  await harness.room.flushed();
  expect(bob.socket.updates).toHaveLength(1);
  expect((await harness.stored()).getMap('m').get('x')).toBe(1);
  expect(alice.socket.closeCodes).toEqual([]);
  harness.destroy();
});

it('sends nobody a change whose write failed, and gives up the room', async () => {
  const log = new GatedDocumentLog();
  const { harness, alice, bob } = await aliceAndBob(log);
  await heldChangeOfX(log, alice);
  log.fail();
  await harness.room.flushed();
  expect(bob.socket.updates).toHaveLength(0);
  // Both reconnect to a copy reloaded from the log; alice still holds her change and hands it over then.
  expect(alice.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(bob.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(harness.failures).toEqual([harness.room]);
  expect((await harness.stored()).getMap('m').has('x')).toBe(false);
  harness.destroy();
});

it('loses nothing of a failed write: the writer hands its change over to the reloaded room', async () => {
  const log = new GatedDocumentLog();
  const failed = await RoomHarness.open({ store: log });
  const alice = failed.connect('alice');
  await heldChangeOfX(log, alice);
  log.fail();
  await failed.room.flushed();
  expect(alice.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);

  // What the registry does next: a room loaded afresh from the log; alice reconnects with her replica.
  const reloaded = await RoomHarness.open({ store: log.inner });
  const bob = reloaded.connect('bob');
  reloaded.connect('alice', { replica: alice.replica }).handOver();
  await reloaded.room.flushed();
  expect(bob.socket.updates).toHaveLength(1);
  expect((await reloaded.stored()).getMap('m').get('x')).toBe(1);
  failed.destroy();
  reloaded.destroy();
});

it('gives up the room when the log moved on without it (another writer), storing nothing of the batch', async () => {
  const log = new MemoryDocumentLog();
  const { harness, alice, bob } = await aliceAndBob(log);
  // Someone else writes clock 0 after the room loaded the log.
  const other = await RoomHarness.open({ store: log });
  other.connect('carol').change((doc) => doc.getMap('m').set('carol', true));
  await other.room.flushed();

  alice.change((doc) => doc.getMap('m').set('alice', true));
  await harness.room.flushed();
  expect(bob.socket.updates).toHaveLength(0);
  expect(bob.socket.closeCodes).toEqual([CloseCode.tryAgainLater]);
  expect(harness.failures).toEqual([harness.room]);
  const stored = (await harness.stored()).getMap('m');
  expect(stored.get('carol')).toBe(true);
  expect(stored.has('alice')).toBe(false);
  other.destroy();
  harness.destroy();
});

it('refuses changes with 4507 while the log refuses writes, and sends the rest as usual', async () => {
  const log = new MemoryDocumentLog();
  const { harness, alice, bob } = await aliceAndBob(log);
  log.writable = false;
  alice.change((doc) => doc.getMap('m').set('x', 1));
  await harness.room.flushed();
  expect(alice.socket.closeCodes).toEqual([CloseCode.storageUnavailable]);
  expect(bob.socket.updates).toHaveLength(0);
  expect(bob.socket.closeCodes).toEqual([]);
  expect(harness.failures).toEqual([]);

  log.writable = true;
  bob.change((doc) => doc.getMap('m').set('y', 2));
  await harness.room.flushed();
  expect((await harness.stored()).getMap('m').toJSON()).toEqual({ y: 2 });
  harness.destroy();
});

it('handles a change sent just after a server change resolved (it used to wait in the inbox for the next frame)', async () => {
  // The gap was a few microtasks wide, between the room seeing its inbox empty and noting it stopped draining.
  for (let turns = 0; turns < 8; turns++) {
    const harness = await RoomHarness.open();
    const alice = harness.connect('alice');
    await harness.room.serverChange((doc) => doc.getMap('m').set('server', 1));
    for (let turn = 0; turn < turns; turn++) await Promise.resolve();
    alice.change((doc) => doc.getMap('m').set('x', 1));
    await harness.room.flushed();
    expect({ turns, stored: (await harness.stored()).getMap('m').get('x') }).toEqual({ turns, stored: 1 });
    harness.destroy();
  }
});

it('numbers a message in its writer’s own transaction: one update per message, the same frame to everyone, the server’s client id kept', async () => {
  const harness = await RoomHarness.open();
  const [alice, bob] = [harness.connect('alice'), harness.connect('bob')];
  const serverClient = harness.room.doc.clientID;
  let updates = 0;
  harness.room.doc.on('update', () => updates++);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    alice.change((doc) => ids.push(writeMessage(doc, 'alice', `hello ${i}`).id));
    await harness.room.flushed();
  }
  // Issue 14: the sequencer's number was a second transaction, whose update the room merged with the client's (6 updates).
  expect(updates).toBe(3);
  expect(alice.socket.updates).toEqual(bob.socket.updates);
  for (const update of bob.socket.updates) Y.applyUpdate(alice.replica, update);
  expect(ids.map((id) => seqIndexOf(alice.replica).get(id))).toEqual([1, 2, 3]);
  const stored = await harness.stored();
  expect(ids.map((id) => seqIndexOf(stored).get(id))).toEqual([1, 2, 3]);
  // Yjs would move the server to a new client id after a remote transaction that wrote under its own: one run of numbers per id.
  expect(harness.room.doc.clientID).toBe(serverClient);
  harness.destroy();
});

it('numbers a message written under the server’s own client id in a server change of its own, under a new id', async () => {
  const harness = await RoomHarness.open();
  const serverClient = harness.room.doc.clientID;
  const alice = harness.connect('alice', { replica: new Y.Doc() });
  alice.replica.clientID = serverClient;
  const bob = harness.connect('bob');
  let id = '';
  alice.change((doc) => (id = writeMessage(doc, 'alice', 'hello').id));
  await harness.room.flushed();
  expect(harness.room.doc.clientID).not.toBe(serverClient);
  expect(seqIndexOf(await harness.stored()).get(id)).toBe(1);
  // Bob gets the message and its number in one frame; alice gets only the number.
  expect(bob.socket.updates).toHaveLength(1);
  const bobs = new Y.Doc();
  Y.applyUpdate(bobs, bob.socket.updates[0]);
  expect([messagesOf(bobs).has(id), seqIndexOf(bobs).get(id)]).toEqual([true, 1]);
  expect(alice.socket.updates).toHaveLength(1);
  harness.destroy();
});

it('tells the cluster of a stored batch after its own sockets were sent it, so a publish to the edges never holds them up', async () => {
  // In a cluster the hook writes the batch to Redis, which on a busy machine can cost the relay its CPU for hundreds
  // of µs (docs/PERFORMANCE.md, issue 11, session 14): the room's own sockets are sent the update first.
  const updatesBobHad: number[] = [];
  let bob: TestClient | null = null;
  const harness = await RoomHarness.open({
    onCommitted: () => updatesBobHad.push(bob?.socket.updates.length ?? -1),
  });
  const alice = harness.connect('alice');
  bob = harness.connect('bob');
  alice.change((doc) => doc.getMap('m').set('x', 1));
  await harness.room.flushed();
  expect(updatesBobHad).toEqual([1]);
  harness.destroy();
});
