/**
 * Issue 20, item 11's bound: sync step 2 frames may be up to 16 MiB, and
 * `ws` holds each until it is whole, so one person sending the starts of
 * several large frames on several sockets at once is dropped before the
 * half-received bytes pass their budget. The honest member keeps working.
 */
import { afterEach, expect, it } from 'vitest';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { Logger } from '../config.js';
import { useMemberScene } from '../testing/member-scene.js';
import { openNonReadingSocket, type NonReadingSocket } from '../testing/non-reading-socket.js';
import { waitFor } from '../testing/wait-for.js';
import { encodeSyncStep2 } from './frames.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS, type RelayResourceLimits } from './resource-limits.js';

const MiB = 1024 * 1024;
const LIMITS: RelayResourceLimits = { ...DEFAULT_RELAY_RESOURCE_LIMITS, maxSyncStep2Bytes: 16 * MiB, receivingBytesPerPerson: 12 * MiB };

let dropped: (context: Record<string, unknown> | undefined) => void = () => {};
const log: Logger = {
  info() {},
  error() {},
  warn(message, context) {
    if (message.includes('receiving too much')) dropped(context);
  },
};

const scene = useMemberScene({ relayResources: LIMITS, log });
const sockets: NonReadingSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

it('drops a socket whose person has too many large frames half-sent at once, and the honest member keeps working', async () => {
  const droppedMallory = new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not dropped; receiving ${scene.server.context.relay.receivingBytesOf(scene.mallory.id)} bytes`)),
      20_000,
    );
    dropped = (context) => {
      clearTimeout(timer);
      resolve(context);
    };
  });
  // A 15 MiB step 2 (within its limit), of which 5 MiB is sent on each of three sockets, and the rest never.
  const frame = encodeSyncStep2(new Uint8Array(15 * MiB));
  for (let i = 0; i < 3; i++) {
    const socket = await openNonReadingSocket(scene.server, scene.mallory.cookie, scene.docName);
    sockets.push(socket);
    socket.sendFrameStart(frame, 5 * MiB);
  }
  expect((await droppedMallory)?.user).toBe(scene.mallory.id);
  // What stays half-received is within the budget (the socket that passed it is gone).
  expect(scene.server.context.relay.receivingBytesOf(scene.mallory.id)).toBeLessThanOrEqual(LIMITS.receivingBytesPerPerson);

  const message = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'still here');
  await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(message.id), 20_000, "Alice's message delivered");
});
