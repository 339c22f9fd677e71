/**
 * Prototype for issue 14, session 15 (docs/PERFORMANCE.md, "Session 15:
 * dormant rooms"): what one loaded conversation of N messages costs the
 * heap awake and asleep (relay/room-dormancy.ts), and what a sleep and a
 * wake cost in time. Each conversation is written as the relay stores it
 * (messages from three client ids, one `numbers` chunk per message, one
 * compacted log entry), loaded into a Room on an in-memory log, and measured
 * as V8 heap plus ArrayBuffers after full GCs: before the room, awake, asleep. Then it is put
 * to sleep and woken `CYCLES` times; each wake is the first `room.doc` read
 * (the Y.Doc, sync answers and sequencer built again from the bytes).
 * Each cycle also times, before the wake, what a reconnecting device costs a
 * sleeping room (session 15, step 2: answered from the bytes, no wake): its
 * sync step 1 and its step 2 with nothing new (its delete set only), from a
 * replica that lacks the last 10 messages (answered with `Y.diffUpdate`) and
 * from one that lacks nothing (answered with the kept delete set).
 * Run with
 * `node --expose-gc --import tsx bench/prototypes/dormant-room-costs.ts [messages…]` (default 500 10000);
 * one size per run gives steadier heap figures (a size measured after another
 * counts what the first left to collect or compile).
 * Timings are wall time on the main thread: say the load average with them.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { numbersElements, numbersOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { RoomDormancy } from '../../sync-server/relay/room-dormancy.js';
import { MemoryDocumentLog } from '../../sync-server/store/memory-document-log.js';
import { encodeSyncStep1, encodeSyncStep2 } from '../../sync-server/relay/frames.js';
import { RoomHarness } from '../../sync-server/testing/room-harness.js';

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [500, 10_000];
const CYCLES = 7;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const collect = gc;

/** The heap after full GCs, read in a later turn: V8 keeps a WeakRef's target alive until the turn that made it ends (sync answers hold one). */
async function heapAfterGc(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 3; i++) collect();
  // ArrayBuffers live outside the V8 heap (a Uint8Array past 64 bytes): a sleeping room's document is one.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** A conversation of `messages` messages as the relay stores it: one update; and a replica without its last 10 messages. */
function conversation(messages: number): { update: Uint8Array; behind: Uint8Array } {
  const doc = new Y.Doc();
  const authors = ['alice-0000000000000000', 'bob-00000000000000000000', 'carol-000000000000000000'];
  const clientIds = [1001, 1002, 1003];
  let behind: Uint8Array = new Uint8Array();
  for (let i = 0; i < messages; i++) {
    if (i === messages - 10) behind = Y.encodeStateAsUpdate(doc);
    doc.clientID = clientIds[i % 3];
    const message = writeMessage(doc, authors[i % 3], `message ${i}: a line of chat, about as long as most of them are`);
    doc.clientID = 7;
    numbersOf(doc).push(numbersElements([[message.id, i + 1]]));
  }
  return { update: Y.encodeStateAsUpdate(doc), behind };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

for (const messages of SIZES) {
  const { update, behind } = conversation(messages);
  const replicas = { behind: new Y.Doc(), current: new Y.Doc() };
  Y.applyUpdate(replicas.behind, behind);
  Y.applyUpdate(replicas.current, update);
  const store = new MemoryDocumentLog();
  await store.append('conv/c', { updates: [update], clientOwners: [] }, 0);
  const dormancy = new RoomDormancy(3_600_000);
  const before = await heapAfterGc();
  const harness = await RoomHarness.open({ store, docName: 'conv/c', dormancy });
  const { room } = harness;
  await room.flushed();
  const awake = (await heapAfterGc()) - before;
  const keptAsleep = Y.encodeStateAsUpdate(room.doc).byteLength;
  const sleepMs: number[] = [];
  const wakeMs: number[] = [];
  const answerMs = { behind: [] as number[], current: [] as number[] };
  const answerBytes = { behind: 0, current: 0 };
  let asleep = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const started = performance.now();
    for (let sweep = 0; sweep < 5; sweep++) dormancy.sweep();
    sleepMs.push(performance.now() - started);
    if (!room.isDormant) throw new Error('the room did not sleep');
    if (cycle === 0) asleep = (await heapAfterGc()) - before;
    // A device reconnects: the room's step 1 to it, its step 1 answered, its step 2 (nothing new) judged.
    for (const kind of ['behind', 'current'] as const) {
      const replica = replicas[kind];
      const device = harness.connect('alice', { replica });
      const [roomStep1] = device.socket.received;
      if (roomStep1?.type !== 'sync-step-1') throw new Error('the room did not greet the device with its step 1');
      const stepTwo = encodeSyncStep2(Y.encodeStateAsUpdate(replica, roomStep1.stateVector));
      const stepOne = encodeSyncStep1(Y.encodeStateVector(replica));
      const answering = performance.now();
      device.send(stepOne);
      device.send(stepTwo);
      answerMs[kind].push(performance.now() - answering);
      answerBytes[kind] = device.socket.frames.slice(1).reduce((sum, frame) => sum + frame.byteLength, 0);
      if (!room.isDormant) throw new Error('answering a reconnecting device woke the room');
      room.leave(device.connection);
    }
    const waking = performance.now();
    void room.doc;
    wakeMs.push(performance.now() - waking);
  }
  harness.destroy();
  console.log(
    `${messages} messages: stored update ${kib(update.byteLength)}, kept asleep ${kib(keptAsleep)}; heap awake ${kib(awake)}, asleep ${kib(asleep)}; ` +
      `sleep median ${median(sleepMs).toFixed(1)} ms, wake median ${median(wakeMs).toFixed(1)} ms, ` +
      `a reconnecting device answered asleep: 10 messages behind median ${median(answerMs.behind).toFixed(2)} ms ` +
      `(${answerBytes.behind} bytes sent), up to date ${median(answerMs.current).toFixed(3)} ms (${answerBytes.current} bytes) ` +
      `(wakes ${wakeMs.map((ms) => ms.toFixed(1)).join(', ')})`,
  );
}
