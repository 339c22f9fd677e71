/**
 * The relay's lean presence records (presence-states.ts) against y-protocols'
 * `Awareness` fed the same operations: the same clocks and states per
 * client, the same added/updated/removed, and awareness updates a stock
 * client applies alike (byte for byte for canonical JSON).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwarenessUpdate, encodeAwarenessUpdate } from './awareness-wire.js';
import { PresenceStates, readEntries, type PresenceChange } from './presence-states.js';

const LOCAL = 99;
const CLIENTS = [1, 2, 3, 4];

type Operation =
  | { kind: 'apply'; entries: Array<{ clientId: number; clock: number; state: Record<string, unknown> | null; spaced: boolean }> }
  | { kind: 'remove'; ids: number[] }
  | { kind: 'set-local'; state: Record<string, unknown> | null };

/** A state as JSON carries it: fast-check's `jsonValue` makes -0, which JSON writes (and so reads back) as 0. */
const state = fc.option(
  fc
    .dictionary(fc.constantFrom('user', 'typing', 'viewing', 'n'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })
    .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>),
  { nil: null, freq: 3 },
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      entries: fc.array(
        fc.record({ clientId: fc.constantFrom(...CLIENTS), clock: fc.integer({ min: 0, max: 6 }), state, spaced: fc.boolean() }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), ids: fc.subarray([...CLIENTS, LOCAL]) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set-local' as const), state }) },
);

/** An update as a client writes it; `spaced` JSON (not y-protocols' own) is forwarded as it came, and reads the same. */
function updateOf(entries: Extract<Operation, { kind: 'apply' }>['entries']): Uint8Array {
  return encodeAwarenessUpdate(
    entries.map((entry) => ({
      clientId: entry.clientId,
      clock: entry.clock,
      json: JSON.stringify(entry.state, null, entry.spaced ? 1 : undefined),
    })),
  );
}

function sorted(change: PresenceChange): PresenceChange {
  const order = (ids: number[]) => [...ids].sort((a, b) => a - b);
  return { added: order(change.added), updated: order(change.updated), removed: order(change.removed) };
}

/** What a fresh stock client holds after applying an update: state by client id. */
function seenByStock(update: Uint8Array): Map<number, unknown> {
  const doc = new Y.Doc();
  doc.clientID = 7777;
  const stock = new awarenessProtocol.Awareness(doc);
  clearInterval(stock._checkInterval);
  awarenessProtocol.applyAwarenessUpdate(stock, update, 'relay');
  const seen = new Map<number, unknown>([...stock.getStates()].filter(([id]) => id !== 7777));
  stock.destroy();
  return seen;
}

describe('PresenceStates', () => {
  it("changes what y-protocols' Awareness changes, and encodes what a stock client applies alike", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        const doc = new Y.Doc();
        doc.clientID = LOCAL;
        const theirs = new awarenessProtocol.Awareness(doc);
        clearInterval(theirs._checkInterval);
        theirs.setLocalState(null);
        const ours = new PresenceStates(LOCAL, { presenceChanged: () => {} });
        let lastLocalClock = 0;
        try {
          for (const op of operations) {
            let change: PresenceChange = { added: [], updated: [], removed: [] };
            const recorded: PresenceChange[] = [];
            const record = (update: PresenceChange) => recorded.push(update);
            theirs.on('update', record);
            if (op.kind === 'apply') {
              const update = updateOf(op.entries);
              awarenessProtocol.applyAwarenessUpdate(theirs, update, 'client');
              const read = readEntries(decodeAwarenessUpdate(update) ?? []);
              if (!read) throw new Error('a state did not read');
              change = ours.apply(read);
            } else if (op.kind === 'remove') {
              awarenessProtocol.removeAwarenessStates(theirs, op.ids, null);
              change = ours.remove(op.ids);
            } else if (op.state !== null || theirs.getLocalState() !== null) {
              // Clearing a state that is not set is a no-op here, where y-protocols would send a removal of nothing.
              theirs.setLocalState(op.state);
              change = ours.setLocal(op.state === null ? null : JSON.stringify(op.state)) ?? change;
            }
            theirs.off('update', record);
            const expected = recorded[0] ?? { added: [], updated: [], removed: [] };
            expect(sorted(change)).toEqual(sorted(expected));
            for (const id of CLIENTS) {
              expect(ours.clockOf(id)).toBe(theirs.meta.get(id)?.clock);
              expect(ours.stateOf(id)).toEqual(theirs.getStates().get(id) ?? null);
            }
            // The server's own state: the same; its clock only goes up (its first differs: y-protocols starts with `{}`).
            expect(ours.stateOf(LOCAL)).toEqual(theirs.getLocalState());
            const localClock = ours.clockOf(LOCAL) ?? 0;
            const localChanged =
              op.kind === 'set-local'
                ? change.added.length + change.updated.length + change.removed.length > 0
                : change.removed.includes(LOCAL);
            if (localChanged) {
              expect(localClock).toBeGreaterThan(lastLocalClock);
            }
            lastLocalClock = localClock;
          }
          const known = CLIENTS.filter((id) => theirs.meta.has(id));
          const ourUpdate = encodeAwarenessUpdate(ours.entriesOf(known));
          expect(seenByStock(ourUpdate)).toEqual(seenByStock(awarenessProtocol.encodeAwarenessUpdate(theirs, known)));
          // Byte for byte when every state came as y-protocols writes JSON.
          if (operations.every((op) => op.kind !== 'apply' || op.entries.every((entry) => !entry.spaced))) {
            expect(ourUpdate).toEqual(awarenessProtocol.encodeAwarenessUpdate(theirs, known));
          }
        } finally {
          theirs.destroy();
          ours.destroy();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tells a removal from a state by its JSON, and refuses an update with a state that is not JSON', () => {
    expect(readEntries([{ clientId: 1, clock: 1, json: ' null ' }])).toEqual([{ clientId: 1, clock: 1, json: ' null ', removes: true }]);
    expect(readEntries([{ clientId: 1, clock: 1, json: '{"a":1}' }])?.[0]?.removes).toBe(false);
    expect(
      readEntries([
        { clientId: 1, clock: 2, json: '{"a":1}' },
        { clientId: 2, clock: 1, json: '{"a":' },
      ]),
    ).toBeNull();
  });

  it('keeps who showed a state until it is removed, and counts their client ids', () => {
    const states = new PresenceStates(LOCAL, { presenceChanged: () => {} });
    try {
      states.apply(
        readEntries([
          { clientId: 1, clock: 1, json: '{}' },
          { clientId: 2, clock: 1, json: '{}' },
        ]) ?? [],
      );
      states.shownBy(1, 'ada');
      states.shownBy(2, 'ada');
      states.shownBy(1, 'eve');
      expect([states.personOf(1), states.countShownBy('ada'), states.countShownBy('eve')]).toEqual(['ada', 2, 0]);
      states.remove([1]);
      expect([states.personOf(1), states.countShownBy('ada')]).toEqual([undefined, 1]);
      // A removal keeps the clock: the same state again at that clock is old news.
      expect(states.changes({ clientId: 1, clock: 1, json: '{}', removes: false })).toBe(false);
      expect(states.entriesOf([1, 2, 3])).toEqual([
        { clientId: 1, clock: 1, json: 'null' },
        { clientId: 2, clock: 1, json: '{}' },
      ]);
    } finally {
      states.destroy();
    }
  });
});
