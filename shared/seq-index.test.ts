import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from './message-id.js';
import { seqOf } from './schema.js';
import { numbersElements, numbersOf, observeNumbers, seqIndexOf } from './seq-index.js';

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
