/**
 * Chaos across history segments (docs/SEGMENTS.md): devices write through a
 * proxy that cuts connections at random while the conversation rolls over
 * several times, and the relay is SIGKILLed at random moments and once right
 * as a rollover lands in the segment list (its reads copy, `meta` copy and
 * late numbering still under way). In the end every message is there once,
 * each numbered in its own segment, the numbers exactly 1..N.
 */
import { expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { newestSegmentOf } from '../../shared/schema.js';
import { pause, useChaosRelay } from '../testing/chaos-relay.js';
import { openSegmented, readConversation, type SegmentedClient } from '../testing/segmented-client.js';
import { openDoc, whenSynced } from '../testing/synced-client.js';
import { waitFor } from '../testing/wait-for.js';

const DEVICES = 4;
const MESSAGES_PER_DEVICE = 50;
const BOUND = 20;
const RANDOM_KILLS = 1;
const CONVERGENCE_TIMEOUT_MS = 60_000;

const chaos = useChaosRelay('happy-chat-segment-chaos-', { HISTORY_SEGMENT_MESSAGES: String(BOUND) });
const devices: SegmentedClient[] = [];

it('loses, duplicates and misorders nothing across rollovers, cuts and SIGKILLs (one during a rollover)', async () => {
  const { seed, random, address, proxyAddress, people, conversationId } = await chaos.scene();
  for (let i = 0; i < DEVICES; i++)
    devices.push(chaos.track(await openSegmented(proxyAddress, people[i % 2], conversationId, { maxBackoffTime: 300 })));

  const send = async (index: number) => {
    for (let n = 0; n < MESSAGES_PER_DEVICE; n++) {
      devices[index].write(`device ${index} message ${n}`);
      await pause(20 + random() * 60);
    }
  };
  const restart = async () => {
    await chaos.server.kill();
    await pause(random() * 200);
    await chaos.server.start();
  };

  // A watcher straight to the server (not through the proxy) sees each rollover land in the list; the first one after a while is killed at once.
  const watcher = openDoc(address, people[0], convDocName(conversationId), undefined, { maxBackoffTime: 300 });
  await whenSynced(watcher);
  let rolloverKill: Promise<void> | null = null;
  const onList = () => {
    if (!rolloverKill && newestSegmentOf(watcher.doc).segment >= 1) rolloverKill = restart();
  };
  watcher.doc.on('update', onList);

  const stopCutting = chaos.cutAtRandom(random);
  const killer = (async () => {
    for (let k = 0; k < RANDOM_KILLS; k++) {
      await pause(300 + random() * 500);
      // One restart at a time: the rollover kill may be under way.
      if (rolloverKill) await rolloverKill;
      await restart();
    }
  })();
  await Promise.all([...devices.map((_, i) => send(i)), killer]);
  // The writes can all be sent before the first rollover lands: numbering waits for deliveries through the cuts and a
  // restart, which a loaded machine stretches (CI-like load: "expected null not to be null" here). It lands once BOUND
  // messages are numbered, so wait for it, still cutting, rather than ask for it the moment the writing is done.
  await waitFor(watcher.doc, () => rolloverKill !== null, 30_000, `a rollover in the segment list (seed ${seed})`);
  await stopCutting();
  watcher.doc.off('update', onList);
  watcher.destroy();
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
      `${RANDOM_KILLS + 1} SIGKILL restarts (one as a rollover landed), ${chaos.proxy.cuts} connections cut, 0 lost, 0 duplicated`,
  );
}, 120_000);
