/**
 * lib0's unsigned varint (7 bits a byte, low bits first), sized and written
 * into an array the caller allocated at its exact size: the relay's frames
 * (frames.ts), an edge's forwarded frames (cluster/edge-channels.ts) and an
 * owner's committed batches (cluster/bus-channels.ts) are each built in one
 * allocation, without a lib0 encoder's growing buffer.
 */

/** Bytes `value` takes as a varuint. */
export function varUintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Writes `value` as a varuint into `bytes` at `at`; returns where the next byte goes. */
export function writeVarUintAt(bytes: Uint8Array, at: number, value: number): number {
  let rest = value;
  let position = at;
  while (rest > 0x7f) {
    bytes[position++] = 0x80 | (rest & 0x7f);
    rest = Math.floor(rest / 0x80);
  }
  bytes[position++] = rest;
  return position;
}
