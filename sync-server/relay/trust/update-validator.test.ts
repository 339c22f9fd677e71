/**
 * The validator on its own (no sockets), for rules that need a hand-made
 * document: items that are not map entries, the server's client ids, the
 * bounds on client ids, when an id is bound, and what a sync step 2 leaves
 * out (issue 20).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from '../../../shared/message-id.js';
import { messagesOf, readsOf, seqOf } from '../../../shared/schema.js';
import { captureUpdate } from '../../../shared/testing/update-capture.js';
import { createUpdateValidator, DEFAULT_VALIDATOR_LIMITS } from './update-validator.js';

const alice = { userId: 'alice', sessionId: 's' };
const mallory = { userId: 'mallory', sessionId: 's' };

/** A state vector that has `client` at `clock`. */
function clientAt(client: number, clock: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  for (let i = 0; i < clock; i++) doc.getMap('x').set('k', i);
  return doc;
}

/** The relay's copy: one message of Alice's, numbered by the server under its own (unowned) client id. */
function relayDoc(): { doc: Y.Doc; owners: Map<number, string>; messageId: string } {
  const writer = new Y.Doc();
  const messageId = newMessageId();
  messagesOf(writer).set(messageId, { id: messageId, author: 'alice', kind: 'text', text: 'hi', createdAt: 1_700_000_000_000 });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
  seqOf(doc).set(messageId, 1);
  return { doc, owners: new Map([[writer.clientID, 'alice']]), messageId };
}

function changeOf(base: Y.Doc, change: (doc: Y.Doc) => void, clientId?: number): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  if (clientId !== undefined) doc.clientID = clientId;
  return captureUpdate(doc, change);
}

describe('update validator (unit)', () => {
  it('accepts an honest message and binds its new client id to the writer', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const writer = new Y.Doc();
    const id = newMessageId();
    const update = changeOf(
      doc,
      (d) => messagesOf(d).set(id, { id, author: 'alice', kind: 'text', text: 'new', createdAt: 1_700_000_000_001 }),
      writer.clientID,
    );
    expect(validator.check(doc, update, alice)).toEqual({ accept: update, leftOut: 0 });
    // Bound once its structs integrated, not before.
    expect(validator.ownerOf(writer.clientID)).toBeUndefined();
    Y.applyUpdate(doc, update);
    validator.bindIntegrated(doc);
    expect(validator.ownerOf(writer.clientID)).toBe('alice');
    expect(validator.takeNewClientOwners()).toEqual([[writer.clientID, 'alice']]);
    expect(validator.takeNewClientOwners()).toEqual([]);
  });

  it("refuses writing under the server's client id (stored structs, no owner)", () => {
    const { doc, owners, messageId } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const serverId = [...doc.store.clients.keys()].find((client) => !owners.has(client));
    expect(serverId).toBeDefined();
    const update = changeOf(
      doc,
      (d) => messagesOf(d).set(messageId, { id: messageId, author: 'alice', kind: 'text', text: 'edit', createdAt: 1 }),
      serverId,
    );
    expect(validator.check(doc, update, alice)).toMatchObject({ rule: 'foreign-client-id' });
  });

  it('refuses items that are not map entries (a root used as a list)', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const update = changeOf(new Y.Doc(), (d) => d.getArray('reads').push([1]));
    expect(validator.check(doc, update, alice)).toMatchObject({ rule: 'not-a-map-entry' });
  });

  it('bounds the client ids one update may use for the first time', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const updates = Array.from({ length: DEFAULT_VALIDATOR_LIMITS.maxNewClientsPerUpdate + 1 }, (_, i) =>
      changeOf(new Y.Doc(), (d) => readsOf(d).set('alice', i)),
    );
    expect(validator.check(doc, Y.mergeUpdates(updates), alice)).toMatchObject({ rule: 'too-many-client-ids' });
    expect(validator.check(doc, Y.mergeUpdates(updates.slice(1)), alice)).toHaveProperty('accept');
  });

  it('binds nothing for a struct that stays pending (issue 20)', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const fresh = new Y.Doc();
    readsOf(fresh).set('alice', 1);
    readsOf(fresh).set('alice', 2);
    // Only the second struct: its predecessor (same client, clock 0) is missing.
    const pending = Y.diffUpdate(Y.encodeStateAsUpdate(fresh), Y.encodeStateVector(clientAt(fresh.clientID, 1)));
    expect(validator.check(doc, pending, alice)).toHaveProperty('accept');
    Y.applyUpdate(doc, pending);
    validator.bindIntegrated(doc);
    expect(validator.ownerOf(fresh.clientID)).toBeUndefined();
    expect(validator.takeNewClientOwners()).toEqual([]);
  });

  it("refuses a live update under an id announced in another person's presence, and lets its announcer write", () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const announced = new Y.Doc().clientID;
    validator.claim(announced, 'alice');
    const squat = changeOf(new Y.Doc(), (d) => readsOf(d).set('mallory', 1), announced);
    expect(validator.check(doc, squat, mallory)).toMatchObject({ rule: 'foreign-client-id' });
    const own = changeOf(new Y.Doc(), (d) => readsOf(d).set('alice', 1), announced);
    expect(validator.check(doc, own, alice)).toHaveProperty('accept');
  });

  it("leaves other people's structs and the server's other writes out of a step 2, and keeps the writer's own", () => {
    const { doc, owners, messageId } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const bobs = changeOf(new Y.Doc(), (d) => readsOf(d).set('bob', 1));
    const forged = changeOf(doc, (d) => readsOf(d).set('alice', 5), [...owners.keys()][0]);
    const alices = changeOf(new Y.Doc(), (d) => readsOf(d).set('alice', 1));
    // The server's lost writes: a number, a change of `meta`, another number.
    const [numbered, later] = [newMessageId(), newMessageId()];
    const seqAndMeta = changeOf(new Y.Doc(), (d) => {
      seqOf(d).set(numbered, 2);
      d.getMap('meta').set('title', 'x');
      seqOf(d).set(later, 3);
    });
    const step2 = Y.mergeUpdates([bobs, alices, seqAndMeta]);
    expect(validator.check(doc, step2, { userId: 'carol', sessionId: 's' }, 'sync-step-2')).toMatchObject({ leftOut: 3 });
    const verdict = validator.check(doc, step2, alice, 'sync-step-2');
    if (!('accept' in verdict)) throw new Error(`refused: ${verdict.rule}`);
    const applied = new Y.Doc();
    Y.applyUpdate(applied, verdict.accept);
    // Alice's own marker, and the server's number before its `meta` change: nothing of Bob's, no `meta`, not the number after it.
    expect(readsOf(applied).toJSON()).toEqual({ alice: 1 });
    expect(seqOf(applied).toJSON()).toEqual({ [numbered]: 2 });
    expect(applied.share.has('meta')).toBe(false);
    // The same in a live update is refused.
    expect(validator.check(doc, step2, alice)).toHaveProperty('rule');
    // Under an id bound to someone else, or deleting what is someone else's: left out, never applied.
    expect(validator.check(doc, forged, mallory, 'sync-step-2')).toMatchObject({ leftOut: 1 });
    expect(
      validator.check(
        doc,
        changeOf(doc, (d) => messagesOf(d).delete(messageId)),
        mallory,
        'sync-step-2',
      ),
    ).toMatchObject({ leftOut: 1 });
  });

  it("takes back the server's lost sequence numbers from a step 2, bound to nobody", () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const numbers = changeOf(new Y.Doc(), (d) => seqOf(d).set(newMessageId(), 2));
    const verdict = validator.check(doc, numbers, alice, 'sync-step-2');
    expect(verdict).toEqual({ accept: numbers, leftOut: 0 });
    Y.applyUpdate(doc, numbers);
    validator.bindIntegrated(doc);
    expect(validator.takeNewClientOwners()).toEqual([]);
    expect(validator.check(doc, numbers, alice)).toHaveProperty('accept');
    expect(
      validator.check(
        doc,
        changeOf(new Y.Doc(), (d) => seqOf(d).set(newMessageId(), 3)),
        alice,
      ),
    ).toMatchObject({ rule: 'server-only' });
  });

  it('bounds the client ids bound to one person and in the whole document', () => {
    const { doc, owners } = relayDoc();
    const limits = { ...DEFAULT_VALIDATOR_LIMITS, maxClientIdsPerPerson: 2, maxClientIdsPerDocument: 3 };
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners, limits);
    const write = (who: typeof alice) => {
      const update = changeOf(new Y.Doc(), (d) => readsOf(d).set(who.userId, 1));
      const verdict = validator.check(doc, update, who);
      if ('accept' in verdict) {
        Y.applyUpdate(doc, verdict.accept);
        validator.bindIntegrated(doc);
      }
      return verdict;
    };
    // Alice has one id from relayDoc.
    expect(write(alice)).toHaveProperty('accept');
    expect(write(alice)).toEqual({ rule: 'too-many-client-ids', detail: 'more than 2 client ids of one person in this document' });
    expect(write(mallory)).toHaveProperty('accept');
    expect(write({ userId: 'carol', sessionId: 's' })).toEqual({
      rule: 'too-many-client-ids',
      detail: 'more than 3 client ids in this document',
    });
  });
});
