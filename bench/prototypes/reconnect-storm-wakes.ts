/**
 * Prototype for issue 14, session 15 (docs/PERFORMANCE.md, "Session 15:
 * dormant rooms", step 1 without waking): how many sleeping rooms a
 * reconnect storm wakes. `ROOMS` conversations of `MESSAGES` messages (an
 * edited message in each, so their delete sets are not empty) in Rooms on
 * in-memory logs, one device each; every room is put to sleep, then every
 * device reconnects as the stock y-websocket client does after a network
 * blip: it joins (the room greets it with its step 1), sends its step 1 and
 * answers the room's step 1 with its step 2. Counts the rooms awake once
 * every room has handled it all, and the main thread's CPU of the storm and
 * of putting the woken rooms back to sleep. Two storms: devices holding
 * everything, and devices lacking the last message.
 * Run with `npx tsx bench/prototypes/reconnect-storm-wakes.ts [rooms] [messages]` (default 100 500).
 */
import * as Y from 'yjs';
import { messagesOf } from '../../shared/schema.js';
import { numbersElements, numbersOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { encodeSyncStep1, encodeSyncStep2 } from '../../sync-server/relay/frames.js';
import { RoomDormancy } from '../../sync-server/relay/room-dormancy.js';
import { MemoryDocumentLog } from '../../sync-server/store/memory-document-log.js';
import { RoomHarness } from '../../sync-server/testing/room-harness.js';

const ROOMS = Number(process.argv[2] ?? 100);
const MESSAGES = Number(process.argv[3] ?? 500);

/** A conversation's stored update, and the same without its last message. */
function conversation(): { whole: Uint8Array; lackingLast: Uint8Array } {
  const doc = new Y.Doc();
  let lackingLast: Uint8Array = new Uint8Array();
  for (let i = 0; i < MESSAGES; i++) {
    if (i === MESSAGES - 1) lackingLast = Y.encodeStateAsUpdate(doc);
    doc.clientID = 1001;
    const message = writeMessage(doc, 'alice-0000000000000000', `message ${i}: a line of chat, about as long as most of them are`);
    // An edit: the map entry is overwritten, so the document has a delete set.
    if (i === 0) messagesOf(doc).set(message.id, { ...message, text: 'edited' });
    // Numbered as the relay numbers it (the server's client id), so the room loads with nothing to number.
    doc.clientID = 7;
    numbersOf(doc).push(numbersElements([[message.id, i + 1]]));
  }
  return { whole: Y.encodeStateAsUpdate(doc), lackingLast };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

const { whole, lackingLast } = conversation();
for (const storm of ['holding everything', 'lacking the last message'] as const) {
  const dormancy = new RoomDormancy(3_600_000);
  const harnesses: RoomHarness[] = [];
  for (let index = 0; index < ROOMS; index++) {
    const store = new MemoryDocumentLog();
    await store.append(`conv/c${index}`, { updates: [whole], clientOwners: [] }, 0);
    const harness = await RoomHarness.open({ store, docName: `conv/c${index}`, dormancy });
    await harness.room.flushed();
    harnesses.push(harness);
  }
  for (let sweep = 0; sweep < 5; sweep++) dormancy.sweep();
  if (harnesses.some(({ room }) => !room.isDormant)) throw new Error('a room did not sleep');
  // What the devices send, made before the clock starts: only the relay's side is counted.
  const replica = new Y.Doc();
  Y.applyUpdate(replica, storm === 'holding everything' ? whole : lackingLast);
  const stepOne = encodeSyncStep1(Y.encodeStateVector(replica));
  const stepTwo = encodeSyncStep2(Y.encodeStateAsUpdate(replica, Y.encodeStateVectorFromUpdate(whole)));
  const started = process.cpuUsage();
  for (const harness of harnesses) {
    const device = harness.connect('alice', { replica });
    device.send(stepOne);
    device.send(stepTwo);
  }
  await Promise.all(harnesses.map(({ room }) => room.flushed()));
  const stormMs = cpuMs(started);
  const woken = harnesses.filter(({ room }) => !room.isDormant).length;
  const sleeping = process.cpuUsage();
  for (let sweep = 0; sweep < 5; sweep++) dormancy.sweep();
  const sleepAgainMs = cpuMs(sleeping);
  console.log(
    `${ROOMS} rooms of ${MESSAGES} messages, devices ${storm}: ${woken} woken; CPU of the storm ${stormMs.toFixed(0)} ms, ` +
      `of putting them back to sleep ${sleepAgainMs.toFixed(0)} ms`,
  );
  for (const harness of harnesses) harness.destroy();
}
