/**
 * Chaos across history segments (docs/SEGMENTS.md): devices write through a
 * proxy that cuts connections at random while the conversation rolls over
 * several times, and the relay is SIGKILLed at random moments and once right
 * as a rollover lands in the segment list (its reads copy, `meta` copy and
 * late numbering still under way). In the end every message is there once,
 * each numbered in its own segment, the numbers exactly 1..N.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { newestSegmentOf } from '../../shared/schema.js';
import { ChildServer, freePort } from '../testing/child-server.js';
import { directConversation } from '../testing/direct-conversation.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { seededRandom } from '../testing/seeded-random.js';
import { openSegmented, readConversation, type SegmentedClient } from '../testing/segmented-client.js';
import { openDoc, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';

const DEVICES = 4;
const MESSAGES_PER_DEVICE = 50;
const BOUND = 20;
const RANDOM_KILLS = 1;
const CONVERGENCE_TIMEOUT_MS = 60_000;

/** Paces the load generator (how fast people type, how often the network breaks): time passing is the scenario. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dataDir: string;
let server: ChildServer;
let proxy: FlakyProxy;
const devices: SegmentedClient[] = [];

beforeAll(async () => {
  dataDir = await makeTempDir('happy-chat-segment-chaos-');
  server = new ChildServer(await freePort(), dataDir, { HISTORY_SEGMENT_MESSAGES: String(BOUND) });
  await server.start();
  proxy = new FlakyProxy(server.port);
});

afterAll(async () => {
  for (const device of devices) device.destroy();
  await proxy.close();
  await server.kill();
  await removeDir(dataDir);
});

it('loses, duplicates and misorders nothing across rollovers, cuts and SIGKILLs (one during a rollover)', async () => {
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const address = { url: server.url, dataDir };
  const people: TestUser[] = [await createUser(address, 'Alice'), await createUser(address, 'Bob')];
  const conversationId = await directConversation(address, people[0], people[1]);
  const proxyAddress = { url: `http://127.0.0.1:${await proxy.listen()}`, dataDir };
  for (let i = 0; i < DEVICES; i++) devices.push(await openSegmented(proxyAddress, people[i % 2], conversationId, { maxBackoffTime: 300 }));

  const send = async (index: number) => {
    for (let n = 0; n < MESSAGES_PER_DEVICE; n++) {
      devices[index].write(`device ${index} message ${n}`);
      await pause(20 + random() * 60);
    }
  };
  const restart = async () => {
    await server.kill();
    await pause(random() * 200);
    await server.start();
  };

  // A watcher straight to the server (not through the proxy) sees each rollover land in the list; the first one after a while is killed at once.
  const watcher = openDoc(address, people[0], convDocName(conversationId), undefined, { maxBackoffTime: 300 });
  await whenSynced(watcher);
  let rolloverKill: Promise<void> | null = null;
  const onList = () => {
    if (!rolloverKill && newestSegmentOf(watcher.doc).segment >= 1) rolloverKill = restart();
  };
  watcher.doc.on('update', onList);

  let sending = true;
  const cutter = (async () => {
    while (sending) {
      await pause(50 + random() * 200);
      proxy.cutRandom(random);
    }
  })();
  const killer = (async () => {
    for (let k = 0; k < RANDOM_KILLS; k++) {
      await pause(300 + random() * 500);
      // One restart at a time: the rollover kill may be under way.
      if (rolloverKill) await rolloverKill;
      await restart();
    }
  })();
  await Promise.all([...devices.map((_, i) => send(i)), killer]);
  sending = false;
  await cutter;
  watcher.doc.off('update', onList);
  watcher.destroy();
  expect(rolloverKill, 'a SIGKILL right as a rollover landed').not.toBeNull();
  await rolloverKill;

  // Then a calm stretch, long enough for several more rollovers: each device, reconnected, sends and sees its message numbered before the next.
  const CALM_PER_DEVICE = BOUND;
  await Promise.all(
    devices.map(async (device, index) => {
      for (let n = 0; n < CALM_PER_DEVICE; n++) await device.sendAndWait(`device ${index} calm ${n}`);
    }),
  );

  // Every device sees each of its messages numbered in the segment it went to.
  await waitFor(
    devices.flatMap((device) => device.docs()),
    () => devices.every((device) => device.allNumbered()),
    CONVERGENCE_TIMEOUT_MS,
    `every message numbered (seed ${seed})`,
  );
  const read = await readConversation(address, people[0], conversationId);
  const total = DEVICES * (MESSAGES_PER_DEVICE + CALM_PER_DEVICE);
  expect(new Set(read.map((r) => r.message.text)).size).toBe(total);
  expect(read).toHaveLength(total);
  expect(read.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const segments = new Set(read.map((r) => r.segment)).size;
  expect(segments).toBeGreaterThanOrEqual(3);
  console.log(
    `segment chaos (seed ${seed}): ${total} messages in ${segments} segments, numbers 1..${total}, ` +
      `${RANDOM_KILLS + 1} SIGKILL restarts (one as a rollover landed), ${proxy.cuts} connections cut, 0 lost, 0 duplicated`,
  );
}, 120_000);
