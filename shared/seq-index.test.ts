import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from './message-id.js';
import { seqOf } from './schema.js';
import { idsAddedBy, type NumbersElement, numbersElements, numbersOf, observeNumbers, seqIndexOf } from './seq-index.js';

/** Numbers as the server writes them: one change, one push. */
function number(doc: Y.Doc, pairs: Array<[string, number]>): void {
  doc.transact(() => numbersOf(doc).push(numbersElements(pairs)));
}

const ids = (count: number) => Array.from({ length: count }, () => newMessageId());

describe('numbersElements', () => {
  it('writes one start per run of consecutive numbers, in number order', () => {
    expect(
      numbersElements([
        ['c', 7],
        ['a', 3],
        ['b', 4],
      ]),
    ).toEqual([3, 'a', 'b', 7, 'c']);
  });
});

describe('seqIndexOf', () => {
  it('reads the legacy map and the numbers array as one, the array first', () => {
    const doc = new Y.Doc();
    const [old, both, fresh] = ids(3);
    seqOf(doc).set(old, 1);
    seqOf(doc).set(both, 2);
    number(doc, [
      [both, 2],
      [fresh, 3],
    ]);
    const index = seqIndexOf(doc);
    expect([index.get(old), index.get(both), index.get(fresh), index.get('none')]).toEqual([1, 2, 3, undefined]);
    expect(index.size).toBe(3);
    expect(index.highest).toBe(3);
    expect(index.idsInOrder()).toEqual([old, both, fresh]);
    expect(index.toJSON()).toEqual({ [old]: 1, [both]: 2, [fresh]: 3 });
  });

  it('keeps up with appends across changes (items merged by Yjs) and replicas', () => {
    const server = new Y.Doc();
    const replica = new Y.Doc();
    server.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update));
    const written = ids(50);
    written.forEach((id, i) => {
      number(server, [[id, i + 1]]);
      // Read after every change, as a client's observer does.
      expect(seqIndexOf(replica).get(id)).toBe(i + 1);
    });
    // The server's consecutive pushes are one struct.
    expect(server.store.clients.get(server.clientID)?.length).toBe(1);
    expect(seqIndexOf(server).highest).toBe(50);
    expect(seqIndexOf(replica).idsInOrder()).toEqual(written);
  });

  it('keeps up when a replica first gets the whole state (one merged struct), then each append', () => {
    const server = new Y.Doc();
    const written = ids(30);
    written.slice(0, 20).forEach((id, i) => number(server, [[id, i + 1]]));
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    expect(seqIndexOf(replica).highest).toBe(20);
    server.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update));
    written.slice(20).forEach((id, i) => {
      number(server, [[id, 21 + i]]);
      expect(seqIndexOf(replica).get(id)).toBe(21 + i);
    });
    expect(seqIndexOf(replica).idsInOrder()).toEqual(written);
  });

  it('lets a later number of an id replace an earlier one, and counts the highest again', () => {
    const doc = new Y.Doc();
    const [kept, replaced] = ids(2);
    number(doc, [
      [kept, 1],
      [replaced, 9],
    ]);
    expect(seqIndexOf(doc).highest).toBe(9);
    number(doc, [[replaced, 2]]);
    expect(seqIndexOf(doc).get(replaced)).toBe(2);
    expect(seqIndexOf(doc).highest).toBe(2);
    expect(seqIndexOf(doc).size).toBe(2);
  });

  it('reads elements that landed before the end (a chunk returned by a replica) by reading the array again', () => {
    const server = new Y.Doc();
    const [first, second, returned] = ids(3);
    number(server, [[first, 1]]);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    number(replica, [[returned, 2]]);
    number(server, [[second, 3]]);
    expect(seqIndexOf(server).size).toBe(2);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server)));
    expect(seqIndexOf(server).toJSON()).toEqual({ [first]: 1, [second]: 3, [returned]: 2 });
  });

  it('ignores what is not a number or an id, and ids before any start', () => {
    const doc = new Y.Doc();
    const [id, orphan] = ids(2);
    doc.transact(() => numbersOf(doc).push([orphan, -1, 1.5, 4, id, '' as string]));
    (seqOf(doc) as Y.Map<unknown>).set(orphan, 'x');
    const index = seqIndexOf(doc);
    expect(index.get(orphan)).toBeUndefined();
    expect(index.get(id)).toBe(4);
  });

  it('tells observers of either place', () => {
    const doc = new Y.Doc();
    let calls = 0;
    const stop = observeNumbers(doc, () => calls++);
    seqOf(doc).set(newMessageId(), 1);
    number(doc, [[newMessageId(), 2]]);
    stop();
    number(doc, [[newMessageId(), 3]]);
    expect(calls).toBe(2);
  });
});

/** What `idsAddedBy` replaces: the ids of Yjs's `event.changes.added`, in its order. */
function idsOfChanges(event: Y.YArrayEvent<NumbersElement>): string[] {
  const found: string[] = [];
  for (const item of event.changes.added) {
    for (const element of item.content.getContent()) if (typeof element === 'string') found.push(element);
  }
  return found;
}

type NumbersEdit =
  | { kind: 'push'; replica: number; count: number }
  | { kind: 'insert'; replica: number; at: number; count: number }
  | { kind: 'delete'; replica: number; at: number; length: number }
  | { kind: 'insertAndDelete'; replica: number; at: number; count: number }
  | { kind: 'deliver'; from: number; to: number; merged: boolean };

const numbersEdit: fc.Arbitrary<NumbersEdit> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), replica: fc.nat(2), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), replica: fc.nat(2), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), replica: fc.nat(2), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('insertAndDelete' as const), replica: fc.nat(2), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('deliver' as const), from: fc.nat(2), to: fc.nat(2), merged: fc.boolean() }),
);

describe('idsAddedBy', () => {
  it("reads the ids Yjs's event.changes.added holds, in its order, for local, remote, out-of-order and merged changes", () => {
    // Across the runs: changes that added ids, delivered from another replica (what the relay applies).
    let remoteWithIds = 0;
    fc.assert(
      fc.property(fc.array(numbersEdit, { minLength: 1, maxLength: 30 }), (generated) => {
        const edits: NumbersEdit[] = [{ kind: 'push', replica: 0, count: 2 }, ...generated];
        const replicas = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
        // Every update a replica made, for delivering later, alone or merged, in any order.
        const made: Uint8Array[][] = replicas.map(() => []);
        let compared = 0;
        replicas.forEach((doc, i) => {
          doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'delivered' && made[i].push(update));
          numbersOf(doc).observe((event) => {
            const ids = idsAddedBy(event);
            expect(ids).toStrictEqual(idsOfChanges(event));
            compared++;
            if (ids.length > 0 && event.transaction.origin === 'delivered') remoteWithIds++;
          });
        });
        let serial = 0;
        const chunk = (count: number): NumbersElement[] => [serial + 1, ...Array.from({ length: count }, () => `id${++serial}`)];
        for (const edit of edits) {
          if (edit.kind === 'deliver') {
            const updates = made[edit.from].slice().reverse();
            const target = replicas[edit.to];
            if (edit.merged && updates.length > 0) Y.applyUpdate(target, Y.mergeUpdates(updates), 'delivered');
            else for (const update of updates) Y.applyUpdate(target, update, 'delivered');
            continue;
          }
          const numbers = numbersOf(replicas[edit.replica]);
          replicas[edit.replica].transact(() => {
            if (edit.kind === 'push') numbers.push(chunk(edit.count));
            else if (edit.kind === 'insert') numbers.insert(edit.at % (numbers.length + 1), chunk(edit.count));
            else if (numbers.length > 0) {
              const at = edit.at % numbers.length;
              if (edit.kind === 'delete') numbers.delete(at, Math.min(edit.length, numbers.length - at));
              else {
                // Made and partly deleted in one transaction: a deleted new element is not added.
                numbers.insert(at, chunk(edit.count));
                numbers.delete(at, 1);
              }
            }
          });
        }
        expect(compared).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    expect(remoteWithIds).toBeGreaterThan(100);
  });
});
