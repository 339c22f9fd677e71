/**
 * Issue 20, item 3: a member opens sockets that never read on a large
 * conversation and asks each for the whole document. Each answer used to be
 * queued in the relay's memory (20 sockets on a 7 MiB conversation: +320 MiB).
 * The relay must drop them before a person's queued bytes pass the budget,
 * and the honest member must keep working.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { Logger } from '../config.js';
import { useMemberScene } from '../testing/member-scene.js';
import { openNonReadingSocket, type NonReadingSocket } from '../testing/non-reading-socket.js';
import { waitFor } from '../testing/wait-for.js';
import { encodeSyncStep1 } from './frames.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS, type RelayResourceLimits } from './resource-limits.js';

const MiB = 1024 * 1024;
const LIMITS: RelayResourceLimits = { ...DEFAULT_RELAY_RESOURCE_LIMITS, queuedBytesPerConnection: 1 * MiB, queuedBytesPerPerson: 4 * MiB };
const ATTACK_SOCKETS = 20;

/** Resolves once the relay has said `count` times that it dropped one of `userId`'s connections over its queue. */
const drops = new Map<string, number>();
let onDrop: () => void = () => {};
const log: Logger = {
  info() {},
  error() {},
  warn(message, context) {
    if (!message.startsWith('dropped a connection')) return;
    const user = String(context?.user);
    drops.set(user, (drops.get(user) ?? 0) + 1);
    onDrop();
  },
};

function dropsOf(userId: string, count: number, timeoutMs: number, describeState: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${drops.get(userId) ?? 0} of ${count} drops; ${describeState()}`)), timeoutMs);
    onDrop = () => {
      if ((drops.get(userId) ?? 0) < count) return;
      clearTimeout(timer);
      resolve();
    };
    onDrop();
  });
}

const scene = useMemberScene({ relayResources: LIMITS, log });
const sockets: NonReadingSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  drops.clear();
});

/** Fills the conversation with about `bytes` of Alice's messages, written by the server in one change. */
async function fillConversation(bytes: number): Promise<void> {
  const text = 'x'.repeat(9_000);
  await scene.server.context.registry.change(scene.docName, (doc) => {
    for (let written = 0; written < bytes; written += text.length) {
      writeMessage(doc, scene.alice.id, text);
    }
  });
}

it('drops sockets that never read before a person queues more than the budget, and the honest member keeps working', async () => {
  await fillConversation(12 * MiB);
  const relay = scene.server.context.relay;
  // "I have one item of this client": not the empty state, so no shared answer; nearly the whole document each.
  const [someClient] = Y.decodeStateVector(Y.encodeStateVector(scene.aliceReplica.doc)).keys();
  const stepOne = encodeSyncStep1(Y.encodeStateVector(new Map([[someClient, 1]])));
  for (let i = 0; i < ATTACK_SOCKETS; i++) {
    const socket = await openNonReadingSocket(scene.server, scene.mallory.cookie, scene.docName);
    sockets.push(socket);
    socket.stopReading();
    socket.sendFrame(stepOne);
  }
  const state = () => `Mallory's sockets hold ${(relay.bufferedBytesOf(scene.mallory.id) / MiB).toFixed(1)} MiB in the relay`;
  // One answer fits her empty queue (it is larger than the budget); every other one is refused before it is encoded.
  await dropsOf(scene.mallory.id, ATTACK_SOCKETS - 1, 20_000, state);
  const bound = Math.max(LIMITS.queuedBytesPerPerson, 13 * MiB);
  expect(relay.peakQueuedBytesOf(scene.mallory.id)).toBeLessThanOrEqual(bound);
  expect(relay.bufferedBytesOf(scene.mallory.id)).toBeLessThanOrEqual(bound);

  // Alice writes and a fresh device of hers gets everything.
  const message = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'still here');
  await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(message.id), 20_000, "Alice's message delivered");
  const laptop = scene.open(scene.alice);
  await waitFor(laptop.doc, () => seqIndexOf(laptop.doc).has(message.id), 20_000, "Alice's laptop synced");
  expect(messagesOf(laptop.doc).size).toBe(messagesOf(scene.aliceReplica.doc).size);
});
