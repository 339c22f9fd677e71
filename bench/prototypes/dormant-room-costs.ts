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

/** A conversation of `messages` messages as the relay stores it: one update. */
function conversation(messages: number): Uint8Array {
  const doc = new Y.Doc();
  const authors = ['alice-0000000000000000', 'bob-00000000000000000000', 'carol-000000000000000000'];
  const clientIds = [1001, 1002, 1003];
  for (let i = 0; i < messages; i++) {
    doc.clientID = clientIds[i % 3];
    const message = writeMessage(doc, authors[i % 3], `message ${i}: a line of chat, about as long as most of them are`);
    doc.clientID = 7;
    numbersOf(doc).push(numbersElements([[message.id, i + 1]]));
  }
  return Y.encodeStateAsUpdate(doc);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

for (const messages of SIZES) {
  const update = conversation(messages);
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
  let asleep = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const started = performance.now();
    for (let sweep = 0; sweep < 5; sweep++) dormancy.sweep();
    sleepMs.push(performance.now() - started);
    if (!room.isDormant) throw new Error('the room did not sleep');
    if (cycle === 0) asleep = (await heapAfterGc()) - before;
    const waking = performance.now();
    void room.doc;
    wakeMs.push(performance.now() - waking);
  }
  harness.destroy();
  console.log(
    `${messages} messages: stored update ${kib(update.byteLength)}, kept asleep ${kib(keptAsleep)}; heap awake ${kib(awake)}, asleep ${kib(asleep)}; ` +
      `sleep median ${median(sleepMs).toFixed(1)} ms, wake median ${median(wakeMs).toFixed(1)} ms ` +
      `(wakes ${wakeMs.map((ms) => ms.toFixed(1)).join(', ')})`,
  );
}
