/**
 * The room's answers to sync step 1, without a network: fresh devices share
 * one encoded whole-document frame (counted once per person), and a
 * connection whose person's queue could not take an answer is dropped
 * before the answer is encoded.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { quietLogger } from '../testing/quiet-logger.js';
import { TestSocket } from '../testing/room-harness.js';
import { Connection } from './connection.js';
import { decodeFrame } from './frames.js';
import { SendQueues } from './send-queues.js';
import { SyncAnswers } from './sync-answers.js';
import { DormantDocument } from './dormant-document.js';

/** A socket that never writes anything out: every frame stays queued. */
function stuckSocket(): TestSocket {
  const socket = new TestSocket();
  socket.holdWrites = true;
  return socket;
}

function bigDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 0; i < 200; i++) doc.getMap('messages').set(`m${i}`, { text: 'x'.repeat(1000) });
  });
  return doc;
}

it('sends fresh devices one shared whole-document frame, counted once for their person', () => {
  const doc = bigDoc();
  const answers = new SyncAnswers(doc, Y.encodeStateAsUpdate(doc).byteLength);
  const queues = new SendQueues({ queuedBytesPerConnection: 1024, queuedBytesPerPerson: 64 * 1024 }, quietLogger);
  const sockets = [stuckSocket(), stuckSocket(), stuckSocket()];
  for (const socket of sockets) {
    const connection = new Connection(socket, { userId: 'u', sessionId: 's' }, 'conv/c', queues.open('u', 'conv/c'));
    expect(answers.answer(connection, Y.encodeStateVector(new Y.Doc()))).toBe(true);
  }
  const [first] = sockets[0].frames;
  // The same buffer, not equal copies.
  for (const socket of sockets) expect(socket.frames[0] === first).toBe(true);
  expect(decodeFrame(first).type).toBe('sync-step-2');
  expect(queues.queuedBytesOf('u')).toBe(first.byteLength);
  expect(sockets.some((socket) => socket.terminated)).toBe(false);
  answers.destroy();
  doc.destroy();
});

it('drops a connection before encoding a diff its person could not queue', () => {
  const doc = bigDoc();
  const answers = new SyncAnswers(doc, Y.encodeStateAsUpdate(doc).byteLength);
  const queues = new SendQueues({ queuedBytesPerConnection: 1024, queuedBytesPerPerson: 64 * 1024 }, quietLogger);
  // Knows one item: every answer is its own diff of nearly the whole document (~200 KiB).
  const knowsOneItem = Y.encodeStateVector(new Map([[doc.clientID, 1]]));
  const first = stuckSocket();
  answers.answer(new Connection(first, { userId: 'u', sessionId: 's' }, 'conv/c', queues.open('u', 'conv/c')), knowsOneItem);
  expect(first.frames).toHaveLength(1);
  const second = stuckSocket();
  answers.answer(new Connection(second, { userId: 'u', sessionId: 's' }, 'conv/c', queues.open('u', 'conv/c')), knowsOneItem);
  expect(second.frames).toHaveLength(0);
  expect(second.terminated).toBe(true);
  expect(queues.peakQueuedBytesOf('u')).toBe(first.frames[0].byteLength);
  // Another person is not held to this one's queue.
  const other = stuckSocket();
  answers.answer(new Connection(other, { userId: 'v', sessionId: 't' }, 'conv/c', queues.open('v', 'conv/c')), knowsOneItem);
  expect(other.frames).toHaveLength(1);
  answers.destroy();
  doc.destroy();
});

/** A document written by three clients in random order, with overwrites and deletions; each step's update kept. */
function randomHistory(seed: number): { doc: Y.Doc; updates: Uint8Array[] } {
  let state = seed;
  const next = (bound: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % bound;
  };
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let step = 0; step < 60; step++) {
    doc.clientID = 100 + next(3);
    const messages = doc.getMap('messages');
    const key = `m${next(20)}`;
    if (next(4) === 0) messages.delete(key);
    else messages.set(key, { text: 'x'.repeat(next(50)), step });
  }
  return { doc, updates };
}

it('a sleeping room answers from its kept bytes what the awake room answers, for random states, in the same frames', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const { doc, updates } = randomHistory(seed);
    const kept = DormantDocument.of(doc, null);
    const awake = new SyncAnswers(doc, kept.update.byteLength);
    const asleep = new SyncAnswers(doc, kept.update.byteLength);
    asleep.sleep(kept);
    // A replica holding a prefix of the history (none, some, all of it).
    const replica = new Y.Doc();
    for (const update of updates.slice(0, seed % 5 === 0 ? updates.length : (seed * 7) % (updates.length + 1)))
      Y.applyUpdate(replica, update);
    const stateVector = Y.encodeStateVector(replica);
    const [awakeSocket, asleepSocket] = [new TestSocket(), new TestSocket()];
    expect(awake.answer(new Connection(awakeSocket, { userId: 'u', sessionId: 's' }, 'conv/c', null), stateVector)).toBe(true);
    expect(asleep.answer(new Connection(asleepSocket, { userId: 'u', sessionId: 's' }, 'conv/c', null), stateVector)).toBe(true);
    const [awakeFrame, asleepFrame] = [awakeSocket.received, asleepSocket.received];
    expect(awakeFrame.map((frame) => frame.type)).toEqual(['sync-step-2']);
    expect(asleepFrame.map((frame) => frame.type)).toEqual(['sync-step-2']);
    // Each answer brings the replica to the document, the same way.
    const [fromAwake, fromAsleep] = [new Y.Doc(), new Y.Doc()];
    for (const [target, frame] of [
      [fromAwake, awakeFrame[0]],
      [fromAsleep, asleepFrame[0]],
    ] as const) {
      Y.applyUpdate(target, Y.encodeStateAsUpdate(replica));
      if (frame.type === 'sync-step-2') Y.applyUpdate(target, frame.update);
      expect(Y.encodeStateVector(target)).toEqual(Y.encodeStateVector(doc));
      expect(Y.equalSnapshots(Y.snapshot(target), Y.snapshot(doc))).toBe(true);
      expect(target.getMap('messages').toJSON()).toEqual(doc.getMap('messages').toJSON());
    }
    // A malformed state vector: refused by both, the same way.
    const malformed = new Uint8Array([3, 1]);
    expect(awake.answer(new Connection(new TestSocket(), { userId: 'u', sessionId: 's' }, 'conv/c', null), malformed)).toBe(false);
    expect(asleep.answer(new Connection(new TestSocket(), { userId: 'u', sessionId: 's' }, 'conv/c', null), malformed)).toBe(false);
    awake.destroy();
    asleep.destroy();
    doc.destroy();
  }
});

it('a sleeping room answers a device that knows nothing with its kept update itself, no diff encoded', () => {
  const doc = bigDoc();
  const kept = DormantDocument.of(doc, null);
  const answers = new SyncAnswers(doc, kept.update.byteLength);
  answers.sleep(kept);
  doc.destroy();
  const socket = new TestSocket();
  answers.answer(new Connection(socket, { userId: 'u', sessionId: 's' }, 'conv/c', null), Y.encodeStateVector(new Y.Doc()));
  const [frame] = socket.received;
  expect(frame.type === 'sync-step-2' && frame.update).toEqual(kept.update);
  answers.destroy();
});
