/**
 * What a sleeping room tells from its kept bytes alone (dormant-document.ts):
 * a step 2 that brings nothing is recognised without a Y.Doc; anything else,
 * and anything in doubt, is left to the awake room.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { DormantDocument } from './dormant-document.js';

/** The room's document: two writers, an overwrite and a deletion. */
function roomDocument(): Y.Doc {
  const doc = new Y.Doc();
  const messages = doc.getMap('messages');
  doc.clientID = 1;
  messages.set('a', { text: 'one' });
  messages.set('b', { text: 'two' });
  doc.clientID = 2;
  messages.set('a', { text: 'one, edited' });
  messages.delete('b');
  return doc;
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}

/** What a replica answers to the room's step 1: the structs the room lacks and the replica's whole delete set. */
function stepTwoOf(replica: Y.Doc, room: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(replica, Y.encodeStateVector(room));
}

it('a replica holding what the room holds brings nothing, whatever the order of its delete set', () => {
  const doc = roomDocument();
  const kept = DormantDocument.of(doc, null);
  expect(kept.bringsNothing(stepTwoOf(replicaOf(doc), doc))).toBe(true);
  // A replica that never saw the deletion of 'b' holds less: still nothing new for the room.
  const behind = new Y.Doc();
  const room = new Y.Doc();
  room.clientID = 1;
  room.getMap('messages').set('a', { text: 'one' });
  Y.applyUpdate(behind, Y.encodeStateAsUpdate(room));
  room.getMap('messages').delete('a');
  expect(DormantDocument.of(room, null).bringsNothing(stepTwoOf(behind, room))).toBe(true);
});

it('a document with nothing deleted keeps no delete set, and an empty step 2 brings nothing', () => {
  const doc = new Y.Doc();
  doc.getMap('messages').set('a', { text: 'one' });
  expect(DormantDocument.of(doc, null).bringsNothing(new Uint8Array([0, 0]))).toBe(true);
});

it('a new struct, a known struct, a new deletion or bytes it cannot read are left to the awake room', () => {
  const doc = roomDocument();
  const kept = DormantDocument.of(doc, null);
  const writer = replicaOf(doc);
  writer.getMap('messages').set('c', { text: 'three' });
  expect(kept.bringsNothing(stepTwoOf(writer, doc))).toBe(false);
  // Known structs are read by the validator (their root names), so they are not judged asleep.
  expect(kept.bringsNothing(Y.encodeStateAsUpdate(doc))).toBe(false);
  const deleter = replicaOf(doc);
  deleter.getMap('messages').delete('a');
  expect(kept.bringsNothing(stepTwoOf(deleter, doc))).toBe(false);
  expect(kept.bringsNothing(new Uint8Array([0, 5, 1]))).toBe(false);
  // A delete set far larger than the room's is the validator's to bound.
  const huge = new Uint8Array(4096);
  expect(kept.bringsNothing(huge)).toBe(false);
});
