/**
 * The send-queue bound of issue 20 over `/mux` (issue 12): a member opens
 * multiplexed sockets that never read and subscribes each to a large
 * conversation with a state vector that asks for nearly all of it. Each
 * subscription has the queue a socket of its own had, and the person's bound
 * covers them all: the relay drops the sockets before it holds more than
 * that, and the honest member keeps working.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSubscribe, MUX_PATH } from '../../shared/mux-frames.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { Logger } from '../config.js';
import { useMemberScene } from '../testing/member-scene.js';
import { type NonReadingSocket, openNonReadingSocket } from '../testing/non-reading-socket.js';
import { waitFor } from '../testing/wait-for.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS, type RelayResourceLimits } from './resource-limits.js';

const MiB = 1024 * 1024;
const LIMITS: RelayResourceLimits = { ...DEFAULT_RELAY_RESOURCE_LIMITS, queuedBytesPerConnection: 1 * MiB, queuedBytesPerPerson: 4 * MiB };
const ATTACK_SOCKETS = 8;

let drops = 0;
let onDrop: () => void = () => {};
const log: Logger = {
  info() {},
  error() {},
  warn(message) {
    if (!message.startsWith('dropped a connection')) return;
    drops++;
    onDrop();
  },
};

const scene = useMemberScene({ relayResources: LIMITS, log });
const sockets: NonReadingSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  drops = 0;
});

it('drops multiplexed sockets that never read before a person queues more than the budget', async () => {
  const text = 'x'.repeat(9_000);
  await scene.server.context.registry.change(scene.docName, (doc) => {
    for (let written = 0; written < 6 * MiB; written += text.length) writeMessage(doc, scene.alice.id, text);
  });
  const relay = scene.server.context.relay;
  // "I have one item of this client": not the empty state, so no shared answer; nearly the whole document each.
  const [someClient] = Y.decodeStateVector(Y.encodeStateVector(scene.aliceReplica.doc)).keys();
  const subscribe = encodeSubscribe(scene.docName, Y.encodeStateVector(new Map([[someClient, 1]])));
  for (let i = 0; i < ATTACK_SOCKETS; i++) {
    const socket = await openNonReadingSocket(scene.server, scene.mallory.cookie, scene.docName, 10_000, MUX_PATH);
    sockets.push(socket);
    socket.stopReading();
    socket.sendFrame(subscribe);
  }
  // One answer fits her empty queue (it is larger than the budget); every other one is refused before it is encoded.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${drops} of ${ATTACK_SOCKETS - 1} drops`)), 20_000);
    onDrop = () => {
      if (drops < ATTACK_SOCKETS - 1) return;
      clearTimeout(timer);
      resolve();
    };
    onDrop();
  });
  const bound = Math.max(LIMITS.queuedBytesPerPerson, 7 * MiB);
  expect(relay.peakQueuedBytesOf(scene.mallory.id)).toBeLessThanOrEqual(bound);
  expect(relay.bufferedBytesOf(scene.mallory.id)).toBeLessThanOrEqual(bound);

  const message = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'still here');
  await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(message.id), 20_000, "Alice's message delivered");
});
