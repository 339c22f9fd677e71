import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { batchChannel } from './bus-channels.js';

describe('the batch channel', () => {
  const channel = batchChannel('conv/a');

  it('carries a batch’s updates as they were stored, one per clock, not merged', () => {
    const updates = [Uint8Array.of(1, 2, 3), new Uint8Array(300).fill(7), Uint8Array.of(9)];
    const decoded = channel.decode(channel.encode({ docName: 'conv/a', fromClock: 4, toClock: 7, updates }));
    expect(decoded).toEqual({ docName: 'conv/a', fromClock: 4, toClock: 7, updates });
  });

  it('refuses a batch with no update, more updates than clocks, or the single merged update of an older relay', () => {
    expect(channel.decode(channel.encode({ docName: 'conv/a', fromClock: 4, toClock: 5, updates: [] }))).toBeNull();
    expect(
      channel.decode(channel.encode({ docName: 'conv/a', fromClock: 4, toClock: 5, updates: [Uint8Array.of(1), Uint8Array.of(2)] })),
    ).toBeNull();
    // Before session 13 the batch ended with one varint-prefixed merged update.
    const older = encoding.createEncoder();
    encoding.writeVarString(older, 'conv/a');
    encoding.writeVarUint(older, 4);
    encoding.writeVarUint(older, 6);
    encoding.writeVarUint8Array(older, Uint8Array.of(1, 2, 3, 4, 5));
    expect(channel.decode(encoding.toUint8Array(older))).toBeNull();
  });
});
