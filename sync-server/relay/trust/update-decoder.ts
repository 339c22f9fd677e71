/**
 * The validator's decoder of a v1 update (issue 14, session 14): Yjs's own
 * `UpdateDecoderV1` with the strings and values read without lib0's
 * `TextDecoder` call for the short ASCII strings updates are made of (root
 * names, keys, message ids, field names), which was most of the validator's
 * decode: lib0 makes a `Uint8Array` view and crosses into C++ for every
 * string, ~11 of them per message. Anything but a short ASCII string (and
 * any string running past the update's end) goes to lib0 as before, so every
 * value decodes to exactly what Yjs will store, whatever the bytes. The room
 * applies an accepted update with it too (`applyUpdate`, session 15): Yjs's
 * own decode of the same strings made ~800 B a message of views.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import {
  ANY_ARRAY,
  ANY_FALSE,
  ANY_FLOAT32,
  ANY_FLOAT64,
  ANY_INT,
  ANY_NULL,
  ANY_OBJECT,
  ANY_STRING,
  ANY_TRUE,
  ANY_UNDEFINED,
} from './lib0-any-tags.js';

/**
 * Longer strings (message texts) go to `TextDecoder`: its ~0.2 us a call is fixed, the loop's grows by the byte,
 * and they cost the same near 60 bytes (a micro-benchmark under load: 16 bytes 106 vs 285 ns, 128 bytes 544 vs 251 ns).
 */
const MAX_FAST_STRING_BYTES = 48;
/** One reused argument array per string length: `String.fromCharCode.apply` then allocates only the string. */
const charCodes: number[][] = Array.from({ length: MAX_FAST_STRING_BYTES + 1 }, (_, length) => new Array<number>(length).fill(0));

/** Reads a lib0 var-string: short ASCII ones here, all others with lib0 (same result: ASCII is valid UTF-8). */
export function readString(decoder: decoding.Decoder): string {
  const start = decoder.pos;
  const length = decoding.readVarUint(decoder);
  if (length <= MAX_FAST_STRING_BYTES && decoder.pos + length <= decoder.arr.length) {
    const bytes = decoder.arr;
    const from = decoder.pos;
    const codes = charCodes[length];
    let ascii = true;
    for (let i = 0; i < length; i++) {
      const byte = bytes[from + i];
      if (byte >= 0x80) {
        ascii = false;
        break;
      }
      codes[i] = byte;
    }
    if (ascii) {
      decoder.pos = from + length;
      return String.fromCharCode.apply(null, codes);
    }
  }
  decoder.pos = start;
  return decoding.readVarString(decoder);
}

/** Reads a lib0 `any` value as `decoding.readAny` does, its strings with `readString`. */
export function readAny(decoder: decoding.Decoder): unknown {
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case ANY_UNDEFINED:
      return undefined;
    case ANY_NULL:
      return null;
    case ANY_INT:
      return decoding.readVarInt(decoder);
    case ANY_FLOAT32:
      return decoding.readFloat32(decoder);
    case ANY_FLOAT64:
      return decoding.readFloat64(decoder);
    case ANY_FALSE:
      return false;
    case ANY_TRUE:
      return true;
    case ANY_STRING:
      return readString(decoder);
    case ANY_OBJECT: {
      const fields = decoding.readVarUint(decoder);
      // Assigned as lib0 assigns them (a "__proto__" key included), so the rules see what Yjs stores.
      const object: Record<string, unknown> = {};
      for (let i = 0; i < fields; i++) {
        const key = readString(decoder);
        object[key] = readAny(decoder);
      }
      return object;
    }
    case ANY_ARRAY: {
      const items = decoding.readVarUint(decoder);
      const array: unknown[] = [];
      for (let i = 0; i < items; i++) array.push(readAny(decoder));
      return array;
    }
    default:
      decoder.pos--;
      return decoding.readAny(decoder);
  }
}

/** Yjs's v1 update decoder, its strings and values read as above (pass it to `Y.decodeUpdateV2`). */
export class ValidatorDecoderV1 extends Y.UpdateDecoderV1 {
  override readString(): string {
    return readString(this.restDecoder);
  }

  override readKey(): string {
    return readString(this.restDecoder);
  }

  override readAny(): unknown {
    return readAny(this.restDecoder);
  }
}

/** `Y.decodeUpdate`, with the decoder above. */
export function decodeUpdate(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
  return Y.decodeUpdateV2(update, ValidatorDecoderV1);
}

/**
 * `Y.applyUpdate` with the decoder above: the same document, pending structs and errors for any bytes
 * (update-decoder-apply.property.test.ts), without lib0's view and `TextDecoder` call per short string.
 */
export function applyUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  Y.applyUpdateV2(doc, update, origin, ValidatorDecoderV1);
}
