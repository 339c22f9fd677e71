import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeUpdate, readAny, readString } from './update-decoder.js';

/** Values as a client's map entries hold them: JSON with undefined, floats and non-ASCII, long and short strings. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ maxLength: 70 }),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 70 }), tie('any'), { maxKeys: 4 }),
  ),
})).any;

function encoded(write: (encoder: encoding.Encoder) => void): decoding.Decoder {
  const encoder = encoding.createEncoder();
  write(encoder);
  return decoding.createDecoder(encoding.toUint8Array(encoder));
}

describe('the validator decoder', () => {
  it('reads every string as lib0 does, ASCII or not, short or long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const decoder = encoded((encoder) => {
          encoding.writeVarString(encoder, text);
          encoding.writeUint8(encoder, 7);
        });
        expect(readString(decoder)).toBe(text);
        expect(decoding.readUint8(decoder)).toBe(7);
      }),
    );
  });

  it('reads ASCII strings of every length around the fast path bound', () => {
    for (let length = 0; length <= 100; length++) {
      const text = 'abcdefghijklmnopqrstuvwxyz0123456789-_'.repeat(3).slice(0, length);
      const nonAscii = `${text.slice(1)}é`;
      const decoder = encoded((encoder) => {
        encoding.writeVarString(encoder, text);
        encoding.writeVarString(encoder, nonAscii);
      });
      expect(readString(decoder)).toBe(text);
      expect(readString(decoder)).toBe(nonAscii);
      expect(decoder.pos).toBe(decoder.arr.length);
    }
  });

  it('reads every value as lib0 does, a "__proto__" key included', () => {
    const tricky = JSON.parse('{"__proto__":{"author":"x"},"id":"m"}');
    fc.assert(
      fc.property(fc.oneof(value, fc.constant(tricky)), (written) => {
        const bytes = encoded((encoder) => encoding.writeAny(encoder, written as never)).arr;
        const ours = readAny(decoding.createDecoder(bytes));
        const lib0 = decoding.readAny(decoding.createDecoder(bytes));
        expect(ours).toStrictEqual(lib0);
        // lib0 assigns `obj[key]`: a "__proto__" key sets the prototype, and the rules would read through it.
        expect(Object.getPrototypeOf(ours ?? 0)).toStrictEqual(Object.getPrototypeOf(lib0 ?? 0));
      }),
    );
  });

  it('decodes an update into the structs and delete set Y.decodeUpdate makes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }), value), { minLength: 1, maxLength: 6 }), (entries) => {
        const doc = new Y.Doc();
        for (const [key, entry] of entries) doc.getMap('messages').set(key, { entry });
        doc.getMap('messages').delete(entries[0][0]);
        const update = Y.encodeStateAsUpdate(doc);
        expect(decodeUpdate(update)).toStrictEqual(Y.decodeUpdate(update));
      }),
    );
  });

  it('throws where Yjs throws: a truncated string', () => {
    const bytes = encoded((encoder) => encoding.writeVarString(encoder, 'hello')).arr.subarray(0, 4);
    expect(() => readString(decoding.createDecoder(bytes))).toThrow();
    expect(() => decoding.readVarString(decoding.createDecoder(bytes))).toThrow();
  });
});
