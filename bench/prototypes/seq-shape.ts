/**
 * Prototype for issue 14 (docs/SEQ.md): what the message numbers cost on the
 * wire, on disk and in the heap, as today's `seq` Y.Map keyed by message id
 * and as append-only Y.Array shapes pushed by the server. Run with
 * `node --expose-gc --import tsx bench/prototypes/seq-shape.ts [messages] [perBatch]`.
 * Only the numbers are built (no messages): the difference is what matters.
 */
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';

type Shape = 'map' | 'runs' | 'flat';

/** Writes `count` numbers, `perBatch` per server transaction, as the sequencer would. */
function build(shape: Shape, ids: readonly string[], perBatch: number): Y.Doc {
  const doc = new Y.Doc();
  for (let start = 0; start < ids.length; start += perBatch) {
    const batch = ids.slice(start, start + perBatch);
    doc.transact(() => {
      if (shape === 'map') {
        const seq = doc.getMap<number>('seq');
        batch.forEach((id, i) => seq.set(id, start + i + 1));
      } else if (shape === 'runs') {
        doc.getArray<{ n: number; ids: string[] }>('numbers').push([{ n: start + 1, ids: batch }]);
      } else {
        doc.getArray<number | string>('numbers').push([start + 1, ...batch]);
      }
    });
  }
  return doc;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap a replica holds after loading the stored document (what the relay and a fresh client keep). */
function loadedHeap(update: Uint8Array): number {
  const before = heapUsed();
  const held: Y.Doc[] = [];
  for (let i = 0; i < 5; i++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    held.push(doc);
  }
  const after = heapUsed();
  if (held.length !== 5) throw new Error('unreachable');
  return (after - before) / 5;
}

const count = Number(process.argv[2] ?? 10_000);
const perBatch = Number(process.argv[3] ?? 1);
const ids = Array.from({ length: count }, () => newMessageId());
console.log(`${count} numbers, ${perBatch} per batch`);
for (const shape of ['map', 'runs', 'flat'] as const) {
  const doc = build(shape, ids, perBatch);
  const update = Y.encodeStateAsUpdate(doc);
  const v2 = Y.encodeStateAsUpdateV2(doc);
  const structs = [...doc.store.clients.values()].reduce((sum, list) => sum + list.length, 0);
  const heap = loadedHeap(update);
  console.log(
    `${shape.padEnd(5)} update ${(update.length / 1024).toFixed(1)} KiB (${(update.length / count).toFixed(1)} B/number), v2 ${(v2.length / 1024).toFixed(1)} KiB, structs after load ${structs}, heap ${(heap / 1024).toFixed(0)} KiB (${(heap / count).toFixed(0)} B/number)`,
  );
}
