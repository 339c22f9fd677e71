/**
 * The accounting of what waits to be sent (send-queues.ts), without a
 * network: bytes count from the send until `ws` reports them written, a
 * shared frame counts once per person, and each bound refuses the frame that
 * would pass it, except into an empty queue.
 */
import { expect, it } from 'vitest';
import { quietLogger } from '../testing/quiet-logger.js';
import { SendQueues } from './send-queues.js';

const limits = { queuedBytesPerConnection: 100, queuedBytesPerPerson: 250 };

it('counts a frame from the send until it is written out, in the order frames were sent', () => {
  const queues = new SendQueues(limits, quietLogger);
  const queue = queues.open('u', 'conv/c');
  const written = [queue.enqueue(new Uint8Array(30)), queue.enqueue(new Uint8Array(50))];
  expect(queues.queuedBytesOf('u')).toBe(80);
  written[0]();
  expect(queues.queuedBytesOf('u')).toBe(50);
  written[1]();
  expect(queues.queuedBytesOf('u')).toBe(0);
  expect(queues.peakQueuedBytesOf('u')).toBe(80);
});

it('refuses live frames past the connection bound, except into an empty queue', () => {
  const queues = new SendQueues(limits, quietLogger);
  const queue = queues.open('u', 'conv/c');
  expect(queue.admits(150)).toBe(true);
  queue.enqueue(new Uint8Array(60));
  expect(queue.admits(40)).toBe(true);
  expect(queue.admits(41)).toBe(false);
  // A sync answer is held to the person's bound only.
  expect(queue.admits(150, { answer: true })).toBe(true);
  expect(queue.admits(191, { answer: true })).toBe(false);
});

it('counts a shared frame once per person and lets their other connections take it past the budget', () => {
  const queues = new SendQueues(limits, quietLogger);
  const shared = new Uint8Array(400);
  const [a, b] = [queues.open('u', 'conv/c'), queues.open('u', 'conv/c')];
  expect(a.admits(shared.byteLength, { answer: true, shared: true }, shared)).toBe(true);
  const writtenA = a.enqueue(shared, { answer: true, shared: true });
  expect(b.admits(shared.byteLength, { answer: true, shared: true }, shared)).toBe(true);
  const writtenB = b.enqueue(shared, { answer: true, shared: true });
  expect(queues.queuedBytesOf('u')).toBe(400);
  // Anything else is refused while the person is past the budget.
  expect(b.admits(1, { answer: true })).toBe(false);
  writtenA();
  expect(queues.queuedBytesOf('u')).toBe(400);
  writtenB();
  expect(queues.queuedBytesOf('u')).toBe(0);
});

it('forgets what a connection held when it closes or its socket fails', () => {
  const queues = new SendQueues(limits, quietLogger);
  const [a, b] = [queues.open('u', 'conv/c'), queues.open('u', 'conv/d')];
  a.enqueue(new Uint8Array(70));
  const failed = b.enqueue(new Uint8Array(20));
  b.enqueue(new Uint8Array(10));
  failed(new Error('socket destroyed'));
  expect(queues.queuedBytesOf('u')).toBe(70);
  a.release();
  expect(queues.queuedBytesOf('u')).toBe(0);
});

it('keeps counting exactly through a long backlog of live, answer and shared frames, emptied and filled again', () => {
  const queues = new SendQueues({ queuedBytesPerConnection: 1e9, queuedBytesPerPerson: 1e9 }, quietLogger);
  const queue = queues.open('u', 'conv/c');
  const shared = new Uint8Array(7);
  // Each round queues past the point where the queue moves its frames down (1,024 written), then empties it.
  for (let round = 0; round < 3; round++) {
    const written: Array<() => void> = [];
    let queued = 0;
    for (let i = 0; i < 3000; i++) {
      const kind = i % 3 === 0 ? undefined : i % 3 === 1 ? { answer: true } : { answer: true, shared: true };
      const frame = kind?.shared ? shared : new Uint8Array(i % 5);
      written.push(queue.enqueue(frame, kind));
      if (!kind?.shared) queued += frame.byteLength;
    }
    // The shared frame counts once however many times it waits.
    expect(queues.queuedBytesOf('u')).toBe(queued + 7);
    for (let i = 0; i < 2000; i++) written[i]();
    const left = Array.from({ length: 1000 }, (_, j) => 2000 + j).reduce((sum, i) => sum + (i % 3 === 2 ? 0 : i % 5), 0);
    expect(queues.queuedBytesOf('u')).toBe(left + 7);
    for (let i = 2000; i < 3000; i++) written[i]();
    expect(queues.queuedBytesOf('u')).toBe(0);
  }
  expect(queues.peakQueuedBytesOf('u')).toBeGreaterThan(0);
});
