/**
 * The committed batch's bytes (bus-channels.ts): written by hand into one
 * buffer of its exact size, they must stay lib0's layout byte for byte, since
 * relays of the previous build (and the decoder) read them with lib0.
 */
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import { batchChannel, type CommittedBatch, encodeBatch } from './bus-channels.js';

function lib0Batch(batch: CommittedBatch): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, batch.docName);
  encoding.writeVarUint(encoder, batch.fromClock);
  encoding.writeVarUint(encoder, batch.toClock);
  encoding.writeVarUint8Array(encoder, batch.update);
  return encoding.toUint8Array(encoder);
}

const filled = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) % 256);

it("writes lib0's bytes at every varint boundary, for any name and update size, and reads back what it wrote", () => {
  const clocks = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER];
  const names = ['conv/a', '', 'conv/ünï 😀', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(20_000)];
  const sizes = [0, 1, 127, 128, 247, 16_384, 100_000];
  const cases: CommittedBatch[] = [];
  for (const fromClock of clocks) cases.push({ docName: 'conv/a', fromClock, toClock: fromClock + 1, update: filled(247) });
  for (const docName of names) cases.push({ docName, fromClock: 3, toClock: 300, update: filled(10) });
  for (const size of sizes) cases.push({ docName: 'conv/b', fromClock: 128, toClock: 16_384, update: filled(size) });
  // A view at an offset of a larger buffer, as the room's updates often are.
  cases.push({ docName: 'conv/c', fromClock: 1, toClock: 2, update: filled(600).subarray(100, 400) });
  for (const batch of cases) {
    const bytes = encodeBatch(batch);
    expect(Buffer.compare(bytes, Buffer.from(lib0Batch(batch)))).toBe(0);
    if (batch.fromClock < batch.toClock)
      expect(batchChannel(batch.docName).decode(bytes)).toEqual({ ...batch, update: new Uint8Array(batch.update) });
  }
});
