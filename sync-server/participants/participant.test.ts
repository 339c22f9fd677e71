/**
 * The server participants' hooks (participant.ts), on a room without
 * sockets or disk (testing/room-harness.ts): when each is called, in what
 * order, and what happens to what `beforeStore` writes. The order matters:
 * a participant sees a message already numbered by the room's sequencer,
 * what it writes before the store travels in the same batch, and it hears
 * of new messages (`afterStore`) only once they are stored.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { Logger } from '../config.js';
import { DocRegistry } from '../relay/doc-registry.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { GatedDocumentLog, RoomHarness } from '../testing/room-harness.js';
import type { RoomEvent, ServerParticipant, StoredBatch } from './participant.js';
import { SERVER_ORIGIN } from './server-origin.js';

/** Writes down each hook call; before the store, it marks every message it has not marked yet (in `marks`), noting whether the sequencer had numbered it. */
class MarkingParticipant implements ServerParticipant {
  constructor(
    readonly name: string,
    private readonly calls: string[],
  ) {}

  onRoomLoaded({ room, docName }: RoomEvent): void {
    this.calls.push(`${this.name} loaded ${docName.kind}/${docName.id} with ${room.connections.size} connections`);
  }

  beforeStore({ room }: RoomEvent): undefined {
    const marks = room.doc.getMap<boolean>('marks');
    const seq = seqIndexOf(room.doc);
    room.doc.transact(() => {
      messagesOf(room.doc).forEach((_, id) => {
        if (marks.has(id)) return;
        marks.set(id, true);
        this.calls.push(`${this.name} marked a message ${seq.has(id) ? 'numbered' : 'unnumbered'}`);
      });
    }, SERVER_ORIGIN);
  }

  onRoomUnloaded(): void {
    this.calls.push(`${this.name} unloaded`);
  }
}

it('loads in list order before anyone joins, numbers first, and unloads in reverse order, once', async () => {
  const calls: string[] = [];
  const harness = await RoomHarness.open({
    participants: [new MarkingParticipant('first', calls), new MarkingParticipant('second', calls)],
  });
  expect(calls).toEqual(['first loaded conv/c with 0 connections', 'second loaded conv/c with 0 connections']);

  harness.connect('alice').change((doc) => writeMessage(doc, 'alice', 'hello'));
  await harness.room.flushed();
  // The first marks the message (numbered already); the second sees nothing left to mark.
  expect(calls.slice(2)).toEqual(['first marked a message numbered']);

  harness.destroy();
  harness.room.destroy();
  expect(calls.slice(3)).toEqual(['second unloaded', 'first unloaded']);
});

it('stores what beforeStore writes in the same batch as the change, and sends it with the change, its writer too, in one frame', async () => {
  const log = new GatedDocumentLog();
  const harness = await RoomHarness.open({ store: log, participants: [new MarkingParticipant('marker', [])] });
  const alice = harness.connect('alice');
  const bob = harness.connect('bob');
  log.hold();
  let id = '';
  alice.change((doc) => (id = writeMessage(doc, 'alice', 'hello').id));
  await log.appendWaiting();
  // Marked in memory, stored with the message or not at all: nobody has seen either yet.
  expect(harness.room.doc.getMap('marks').get(id)).toBe(true);
  expect(bob.socket.updates).toHaveLength(0);
  log.release();
  await harness.room.flushed();

  const stored = await harness.stored();
  expect(stored.getMap('marks').get(id)).toBe(true);
  expect(seqIndexOf(stored).get(id)).toBe(1);
  // One frame to bob with the message, its number and its mark.
  expect(bob.socket.updates).toHaveLength(1);
  const bobs = new Y.Doc();
  Y.applyUpdate(bobs, bob.socket.updates[0]);
  expect([messagesOf(bobs).has(id), seqIndexOf(bobs).get(id), bobs.getMap('marks').get(id)]).toEqual([true, 1, true]);
  // Alice gets the same frame (issue 14: the message is numbered in her update's own transaction); it brings her the number and the mark.
  expect(alice.socket.updates).toEqual(bob.socket.updates);
  Y.applyUpdate(alice.replica, alice.socket.updates[0]);
  expect([messagesOf(alice.replica).size, seqIndexOf(alice.replica).get(id), alice.replica.getMap('marks').get(id)]).toEqual([1, 1, true]);
  harness.destroy();
});

it('tells afterStore what each stored batch numbered, once it is stored, and nothing of a batch whose write failed', async () => {
  const log = new GatedDocumentLog();
  const batches: StoredBatch['numbered'][] = [];
  const harness = await RoomHarness.open({
    store: log,
    participants: [{ name: 'listener', afterStore: ({ numbered }) => void batches.push(numbered) }],
  });
  const alice = harness.connect('alice');
  log.hold();
  let first = '';
  let second = '';
  alice.change((doc) => {
    first = writeMessage(doc, 'alice', 'one').id;
    second = writeMessage(doc, 'alice', 'two').id;
  });
  await log.appendWaiting();
  expect(batches).toEqual([]);
  log.release();
  await harness.room.flushed();
  expect(batches).toEqual([
    [
      { messageId: first, seq: 1 },
      { messageId: second, seq: 2 },
    ],
  ]);

  alice.change((doc) => doc.getMap('other').set('x', 1));
  await log.appendWaiting();
  log.release();
  await harness.room.flushed();
  expect(batches.slice(1)).toEqual([[]]);

  alice.change((doc) => writeMessage(doc, 'alice', 'lost'));
  await log.appendWaiting();
  log.fail();
  await harness.room.flushed();
  expect(harness.failures).toHaveLength(1);
  expect(batches).toHaveLength(2);
  harness.destroy();
});

it('logs a participant that fails to attach and lets the others and the sequencer work', async () => {
  const errors: Array<Record<string, unknown> | undefined> = [];
  const log: Logger = { ...quietLogger, error: (_message, context) => void errors.push(context) };
  const calls: string[] = [];
  const failing: ServerParticipant = {
    name: 'failing',
    onRoomLoaded() {
      throw new Error('cannot attach');
    },
  };
  const harness = await RoomHarness.open({ log, participants: [failing, new MarkingParticipant('marker', calls)] });
  expect(errors).toEqual([expect.objectContaining({ participant: 'failing', doc: 'conv/c' })]);
  harness.connect('alice').change((doc) => writeMessage(doc, 'alice', 'hello'));
  await harness.room.flushed();
  expect(calls).toEqual(['marker loaded conv/c with 0 connections', 'marker marked a message numbered']);
  expect([...seqIndexOf(harness.room.doc).values()]).toEqual([1]);
  harness.destroy();
});

it('takes the participants once, before any document loads', async () => {
  const registry = new DocRegistry({ store: new MemoryDocumentLog(), unloadGraceMs: 10, compactThreshold: 500, log: quietLogger });
  const room = await registry.acquire('conv/c');
  expect(() => registry.useParticipants([])).toThrow(/before any document loads/);
  registry.release(room);
  await registry.closeAll();

  const fresh = new DocRegistry({ store: new MemoryDocumentLog(), unloadGraceMs: 10, compactThreshold: 500, log: quietLogger });
  fresh.useParticipants([]);
  expect(() => fresh.useParticipants([])).toThrow(/already set/);
});
