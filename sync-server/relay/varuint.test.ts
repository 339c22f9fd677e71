import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import { varUintSize, writeVarUintAt } from './varuint.js';

it('sizes and writes a varuint byte for byte as lib0 does, at any offset', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      fc.nat(8),
      (value, offset) => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, value);
        const expected = encoding.toUint8Array(encoder);
        const bytes = new Uint8Array(offset + varUintSize(value));
        expect(writeVarUintAt(bytes, offset, value)).toBe(bytes.length);
        expect(bytes.subarray(offset)).toEqual(expected);
      },
    ),
  );
});
