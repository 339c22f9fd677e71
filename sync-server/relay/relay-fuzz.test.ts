/**
 * Fuzzing the live relay over real sockets: more than 10,000 frames made by
 * mutating valid updates (messages, edits, deletes, read markers,
 * reactions, forbidden writes, whole-document states), valid frames with
 * random payloads, and random bytes. Each frame is followed by a sync
 * request, so we know the relay handled it (answered or closed) before the
 * next one. Meanwhile Alice keeps chatting with an honest Mallory. The
 * process must survive with bounded memory, the honest clients must keep
 * syncing and never be refused, and the document must still obey the rules.
 */
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, metaOf, reactionKey, reactionsOf, readsOf, seqOf, type Message } from '../../shared/schema.js';
import { numbersOf, seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { captureUpdate } from '../../shared/testing/update-capture.js';
import { heapUsedAfterGc } from '../testing/heap-after-gc.js';
import { freshCopy, useMemberScene, type MemberScene } from '../testing/member-scene.js';
import { seededRandom } from '../testing/seeded-random.js';
import { mutateUpdate as mutate } from '../testing/update-mutations.js';
import { closeCodesOf } from '../testing/synced-client.js';
import { waitFor } from '../testing/wait-for.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './frames.js';
import { sameBytes } from '../../shared/same-bytes.js';

const FRAMES = 10_500;
const WORKERS = 16;
const HEAP_GROWTH_BOUND = 150 * 1024 * 1024;

// The limiter has its own tests; here it would only slow the fuzzer down.
const generous = { burst: 1_000_000, perSecond: 1_000_000 };
const scene = useMemberScene({
  relayRateLimits: {
    updatesPerConnection: generous,
    updatesPerUser: generous,
    awarenessPerConnection: generous,
    awarenessPerUser: generous,
  },
});

/** Updates an attacker would start from: each made on its own copy of the relay's document. */
function seedUpdates(base: Y.Doc, scene: MemberScene): Uint8Array[] {
  const state = Y.encodeStateAsUpdate(base);
  const own = textMessage(scene.mallory.id, 'mine');
  const changes: Array<(doc: Y.Doc) => void> = [
    (doc) => messagesOf(doc).set(own.id, own),
    (doc) => messagesOf(doc).set(scene.aliceMessage.id, { ...scene.aliceMessage, text: 'edited by Mallory' }),
    (doc) => messagesOf(doc).delete(scene.aliceMessage.id),
    (doc) => readsOf(doc).set(scene.mallory.id, 1),
    (doc) => readsOf(doc).set(scene.alice.id, 1),
    (doc) => reactionsOf(doc).set(reactionKey(scene.aliceMessage.id, '👍', scene.mallory.id), true),
    (doc) => seqOf(doc).set(own.id, 99),
    (doc) => numbersOf(doc).push([99, own.id]),
    (doc) => metaOf(doc).set('title', 'owned'),
    (doc) => doc.getMap('evil').set('k', { deep: [1, 2, { x: 'y' }] }),
    (doc) => messagesOf(doc).set(newMessageId(), new Y.Map() as unknown as Message),
  ];
  const updates = changes.map((change) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return captureUpdate(doc, change);
  });
  return [...updates, state];
}

function randomBytes(random: () => number, max: number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(random() * max) }, () => Math.floor(random() * 256));
}

function fuzzFrame(seeds: Uint8Array[], random: () => number): Uint8Array {
  const seed = seeds[Math.floor(random() * seeds.length)];
  const roll = random();
  if (roll < 0.45) return encodeUpdate(mutate(seed, random));
  if (roll < 0.6) return encodeSyncStep2(mutate(seed, random));
  if (roll < 0.7) return mutate(encodeUpdate(seed), random);
  if (roll < 0.8) return encodeUpdate(randomBytes(random, 64));
  if (roll < 0.87) return encodeAwareness(randomBytes(random, 48));
  if (roll < 0.93) return encodeSyncStep1(randomBytes(random, 16));
  return randomBytes(random, 96);
}

const probe = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

/** Sends `frame` and a sync request; resolves 'alive' when the request is answered, else the close reason. */
function sendAndProbe(socket: WebSocket, frame: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      // A sync step 2 answers our request (updates and awareness from others are ignored).
      if (data[0] === 0 && data[1] === 1) finish('alive');
    };
    // Numbers in reasons ("unknown message type 42") are folded so the tally stays short.
    const onClose = (code: number, reason: Buffer) => finish(`${code} ${reason.toString().replace(/\d+/g, 'N')}`);
    function finish(outcome: string): void {
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(outcome);
    }
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(frame);
    socket.send(probe);
  });
}

async function connect(): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    const socket = new WebSocket(`${scene.server.url.replace(/^http/, 'ws')}/sync/${scene.docName}`, {
      headers: { cookie: scene.mallory.cookie },
    });
    try {
      return await new Promise<WebSocket>((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      // A loaded machine may reset a connection attempt; that is not the relay failing.
      if (attempt >= 3) throw error;
    }
  }
}

async function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  await new Promise((resolve) => {
    socket.once('close', resolve);
    socket.close();
  });
}

it(`survives ${FRAMES} fuzzed frames over real sockets while honest members keep chatting`, { timeout: 90_000 }, async () => {
  // A fixed seed by default, so every run tests the same frames and a failure can be replayed. FUZZ_SEED=<n>
  // replays a seed, FUZZ_SEED=random explores. Seed 493581 found an update that passed the validator and threw
  // halfway through Yjs' apply, so the room reloaded (1013) instead of refusing it (4400): an empty delete range,
  // refused by the scanner since (update-scanner.ts; attacks.test.ts replays it).
  const seed = process.env.FUZZ_SEED === 'random' ? Date.now() % 1_000_000 : Number(process.env.FUZZ_SEED ?? 20261206);
  const random = seededRandom(seed);
  const honestMallory = scene.open(scene.mallory);
  const honestCodes = [closeCodesOf(scene.aliceReplica), closeCodesOf(honestMallory)];
  await waitFor(honestMallory.doc, () => messagesOf(honestMallory.doc).has(scene.aliceMessage.id), 10_000, 'Mallory synced');
  const seeds = seedUpdates(honestMallory.doc, scene);
  const heapBefore = heapUsedAfterGc();
  const started = Date.now();

  let sent = 0;
  const outcomes = new Map<string, number>();
  const aliceWrote: string[] = [scene.aliceMessage.id];
  const chat = setInterval(
    () => aliceWrote.push(writeMessage(scene.aliceReplica.doc, scene.alice.id, `still chatting ${aliceWrote.length}`).id),
    200,
  );
  try {
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        let socket = await connect();
        while (sent < FRAMES) {
          sent++;
          const outcome = await sendAndProbe(socket, fuzzFrame(seeds, random));
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (outcome !== 'alive') socket = await connect();
        }
        // Closed before the checks, so nothing it left waiting is applied behind their back.
        await closed(socket);
      }),
    );
  } finally {
    clearInterval(chat);
  }
  const elapsed = Date.now() - started;
  const heapGrowth = heapUsedAfterGc() - heapBefore;
  const tally = [...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${n} ${outcome}`);
  console.log(
    `fuzz seed ${seed}: ${sent} frames in ${elapsed} ms, heap +${Math.round(heapGrowth / 1e6)} MB; outcomes: ${tally.join(', ')}`,
  );

  // Honest members still sync both ways.
  const last = writeMessage(scene.aliceReplica.doc, scene.alice.id, 'the last word');
  aliceWrote.push(last.id);
  await waitFor(honestMallory.doc, () => seqIndexOf(honestMallory.doc).has(last.id), 10_000, "Alice's last message");
  const reply = writeMessage(honestMallory.doc, scene.mallory.id, 'got it');
  await waitFor(scene.aliceReplica.doc, () => seqIndexOf(scene.aliceReplica.doc).has(reply.id), 10_000, "Mallory's reply");
  expect(honestCodes.flat().filter((code) => code === CloseCode.invalidUpdate)).toEqual([]);

  // The document still obeys the rules, in the relay's memory as on the honest replicas.
  const fresh = await freshCopy(scene);
  for (const doc of [fresh, scene.aliceReplica.doc]) {
    const byAlice = [...messagesOf(doc).values()].filter((m) => m.author === scene.alice.id).map((m) => m.id);
    expect(byAlice.sort()).toEqual([...aliceWrote].sort());
    expect(messagesOf(doc).get(scene.aliceMessage.id)).toEqual(scene.aliceMessage);
    expect(metaOf(doc).get('title')).toBeUndefined();
    expect([...doc.share.keys()].every((name) => ['messages', 'seq', 'numbers', 'reads', 'reactions', 'meta'].includes(name))).toBe(true);
    const numbers = [...seqIndexOf(doc).values()].sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  }
  const relayState = Y.encodeStateVector(fresh);
  await waitFor(scene.aliceReplica.doc, () => sameBytes(Y.encodeStateVector(scene.aliceReplica.doc), relayState), 10_000, 'the same state');
  // Every close was a refusal (4400), never a reload of the document (1013) or a crash.
  expect([...outcomes.keys()].every((outcome) => outcome === 'alive' || outcome.startsWith(`${CloseCode.invalidUpdate} `))).toBe(true);
  expect(sent).toBeGreaterThanOrEqual(FRAMES);
  expect(heapGrowth).toBeLessThan(HEAP_GROWTH_BOUND);
});
