/**
 * The awareness update as y-protocols writes it (docs/PROTOCOL.md,
 * "Presence"): a varuint count, then per client its varuint client id,
 * varuint clock and its state as a JSON varstring ("null" removes it). Read
 * and written here with lib0, so the relay keeps each state as the JSON
 * text it came in and parses it only where a rule needs to look inside
 * (presence-states.ts), instead of holding a y-protocols `Awareness` per room.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's entry of an awareness update: the state stays the JSON text it was sent as. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  json: string;
}

/** The entries of an awareness update; null when it does not decode or has bytes after its last entry. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({ clientId, clock, json: decoding.readVarString(decoder) });
    }
    return decoding.hasContent(decoder) ? null : entries;
  } catch {
    // lib0 throws on reading past the end: a truncated update.
    return null;
  }
}

/** An awareness update holding `entries` in their order, as y-protocols' `encodeAwarenessUpdate` writes it. */
export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}
