/**
 * The awareness update's wire format, read and written with lib0 (awareness-wire.ts), against y-protocols'
 * own encoder and decoder: what a stock client sends decodes to the same entries, and what the relay writes
 * applies in a stock client's `Awareness` as y-protocols' own encoding does.
 */
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from './awareness-wire.js';

/** An update as a stock client writes it: its own state (or its removal) under its client id and clock. */
function stockUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new awarenessProtocol.Awareness(doc);
  clearInterval(awareness._checkInterval);
  awareness.meta.set(clientId, { clock, lastUpdated: 0 });
  const states = new Map<number, unknown>(state === null ? [] : [[clientId, state]]);
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId], states as Map<number, Record<string, unknown>>);
  awareness.destroy();
  return update;
}

/** What a stock client's `Awareness` holds after applying `update`: clock and state by client id. */
function appliedByStock(update: Uint8Array): Map<number, { clock: number; state: unknown }> {
  const doc = new Y.Doc();
  doc.clientID = 0;
  const awareness = new awarenessProtocol.Awareness(doc);
  clearInterval(awareness._checkInterval);
  awarenessProtocol.applyAwarenessUpdate(awareness, update, 'relay');
  const seen = new Map<number, { clock: number; state: unknown }>();
  awareness.meta.forEach((meta, clientId) => {
    if (clientId !== 0) seen.set(clientId, { clock: meta.clock, state: awareness.states.get(clientId) ?? null });
  });
  awareness.destroy();
  return seen;
}

/**
 * A state as clients set it: an object (y-protocols writes any falsy state as null), and as JSON carries it:
 * fast-check's `jsonValue` makes -0, which JSON writes as 0, so a state read back could never equal it.
 */
const state = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
const clientId = fc.integer({ min: 1, max: 2 ** 32 - 1 });
const clock = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('awareness wire format', () => {
  it("decodes a stock client's update to its client id, clock and state JSON", () => {
    fc.assert(
      fc.property(clientId, clock, fc.option(state, { nil: null }), (id, at, state) => {
        const entries = decodeAwarenessUpdate(stockUpdate(id, at, state));
        expect(entries).toEqual([{ clientId: id, clock: at, json: JSON.stringify(state) }]);
      }),
    );
  });

  it('writes entries byte for byte as y-protocols does, and a stock client applies them', () => {
    const entry = fc.record({ clientId, clock: fc.integer({ min: 1, max: 2 ** 40 }), state: fc.option(state, { nil: null }) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.clientId, maxLength: 6 }), (picked) => {
        const entries: AwarenessEntry[] = picked.map((e) => ({ clientId: e.clientId, clock: e.clock, json: JSON.stringify(e.state) }));
        const ours = encodeAwarenessUpdate(entries);
        // y-protocols' own encoding of the same states and clocks.
        const doc = new Y.Doc();
        const awareness = new awarenessProtocol.Awareness(doc);
        clearInterval(awareness._checkInterval);
        const states = new Map<number, Record<string, unknown>>();
        for (const e of picked) {
          awareness.meta.set(e.clientId, { clock: e.clock, lastUpdated: 0 });
          if (e.state !== null) states.set(e.clientId, e.state as Record<string, unknown>);
        }
        const theirs = awarenessProtocol.encodeAwarenessUpdate(
          awareness,
          picked.map((e) => e.clientId),
          states,
        );
        awareness.destroy();
        expect(ours).toEqual(theirs);
        const applied = appliedByStock(ours);
        for (const e of picked) {
          // A stock client takes a removal only for a state it holds; a fresh one keeps the clock alone.
          expect(applied.get(e.clientId)).toEqual({ clock: e.clock, state: e.state });
        }
        expect(decodeAwarenessUpdate(ours)).toEqual(entries);
      }),
    );
  });

  it('writes an empty update as a count of zero, and reads it back', () => {
    const empty = encodeAwarenessUpdate([]);
    expect(empty).toEqual(Uint8Array.of(0));
    expect(decodeAwarenessUpdate(empty)).toEqual([]);
  });

  it('keeps a state that is not JSON as it came (the rules, not the decoder, judge it)', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 7);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, '{"a":');
    expect(decodeAwarenessUpdate(encoding.toUint8Array(encoder))).toEqual([{ clientId: 7, clock: 1, json: '{"a":' }]);
  });

  it('refuses a truncated update, trailing bytes and a count larger than the entries', () => {
    const whole = stockUpdate(123456, 3, { user: { name: 'Ada ✓ 𝄞' }, typing: true });
    for (let cut = 0; cut < whole.byteLength; cut++) expect(decodeAwarenessUpdate(whole.subarray(0, cut))).toBeNull();
    expect(decodeAwarenessUpdate(Uint8Array.from([...whole, 0]))).toBeNull();
    const twice = Uint8Array.from(whole);
    twice[0] = 2;
    expect(decodeAwarenessUpdate(twice)).toBeNull();
  });

  it('refuses any bytes that do not decode, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const entries = decodeAwarenessUpdate(bytes);
        // Bytes that decode (a varuint may be written longer than needed) write back to what reads the same.
        if (entries !== null) expect(decodeAwarenessUpdate(encodeAwarenessUpdate(entries))).toEqual(entries);
      }),
    );
  });
});
