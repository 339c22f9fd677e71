/**
 * Byte-level mutations of a Yjs update, as an attacker or a broken client
 * would send them: the relay fuzz test sends them over sockets, the
 * whole-apply property test feeds them to the validator directly. Driven by
 * a seeded generator (seeded-random.ts), so a failure replays from its seed.
 */

/** `update` with one random mutation: bytes flipped, inserted or cut, truncated, a huge varuint, or a slice duplicated. */
export function mutateUpdate(update: Uint8Array, random: () => number): Uint8Array {
  const bytes = Array.from(update);
  const at = () => Math.floor(random() * Math.max(1, bytes.length));
  switch (Math.floor(random() * 6)) {
    case 0: // flip a few bytes
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) bytes[at()] = Math.floor(random() * 256);
      break;
    case 1: // insert random bytes
      bytes.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)));
      break;
    case 2: // cut a piece out
      bytes.splice(at(), 1 + Math.floor(random() * 8));
      break;
    case 3: // truncate
      bytes.length = at();
      break;
    case 4: // a huge varuint where a small number was
      bytes.splice(at(), 1, 0xff, 0xff, 0xff, 0xff, 0x0f);
      break;
    default:
      {
        // duplicate a slice
        const start = at();
        bytes.splice(at(), 0, ...bytes.slice(start, start + 1 + Math.floor(random() * 16)));
      }
      break;
  }
  return Uint8Array.from(bytes);
}

/**
 * `update` with small numbers (counts, clocks, lengths that still parse) in
 * place of one byte, or of its last byte: an update ends with its delete set,
 * "0 clients" when it deletes nothing, so that is where a delete set grows.
 */
export function pokeSmallNumbers(update: Uint8Array, random: () => number): Uint8Array {
  const bytes = Array.from(update);
  const small = () => Math.floor(random() * 8);
  if (random() < 0.5) bytes.splice(bytes.length - 1, 1, ...Array.from({ length: 2 + Math.floor(random() * 6) }, small));
  else if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = small();
  return Uint8Array.from(bytes);
}
