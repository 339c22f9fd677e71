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
