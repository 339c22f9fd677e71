/**
 * The validator on its own (no sockets), for rules that need a hand-made
 * document: items that are not map entries, the server's client ids, and
 * the bound on new client ids per update.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, readsOf, seqOf } from '../../shared/schema.js';
import { createUpdateValidator, DEFAULT_VALIDATOR_LIMITS } from './update-validator.js';

const alice = { userId: 'alice', sessionId: 's' };

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
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  change(doc);
  return Y.mergeUpdates(updates);
}

describe('update validator (unit)', () => {
  it('accepts an honest message and binds its new client id to the writer', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const writer = new Y.Doc();
    const id = newMessageId();
    const update = changeOf(doc, (d) => messagesOf(d).set(id, { id, author: 'alice', kind: 'text', text: 'new', createdAt: 1_700_000_000_001 }), writer.clientID);
    expect(validator.check(doc, update, alice)).toBeNull();
    expect(validator.ownerOf(writer.clientID)).toBe('alice');
    expect(validator.takeNewClientOwners()).toEqual([[writer.clientID, 'alice']]);
    expect(validator.takeNewClientOwners()).toEqual([]);
  });

  it("refuses writing under the server's client id (stored structs, no owner)", () => {
    const { doc, owners, messageId } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const serverId = [...doc.store.clients.keys()].find((client) => !owners.has(client));
    expect(serverId).toBeDefined();
    const update = changeOf(doc, (d) => messagesOf(d).set(messageId, { id: messageId, author: 'alice', kind: 'text', text: 'edit', createdAt: 1 }), serverId);
    expect(validator.check(doc, update, alice)?.rule).toBe('foreign-client-id');
  });

  it('refuses items that are not map entries (a root used as a list)', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const update = changeOf(new Y.Doc(), (d) => d.getArray('reads').push([1]));
    expect(validator.check(doc, update, alice)?.rule).toBe('not-a-map-entry');
  });

  it('bounds the client ids one update may use for the first time', () => {
    const { doc, owners } = relayDoc();
    const validator = createUpdateValidator({ kind: 'conv', id: 'c' }, owners);
    const updates = Array.from({ length: DEFAULT_VALIDATOR_LIMITS.maxNewClientsPerUpdate + 1 }, (_, i) =>
      changeOf(new Y.Doc(), (d) => readsOf(d).set('alice', i)),
    );
    expect(validator.check(doc, Y.mergeUpdates(updates), alice)?.rule).toBe('too-many-client-ids');
    expect(validator.check(doc, Y.mergeUpdates(updates.slice(1)), alice)).toBeNull();
  });
});
