/**
 * The validator must not refuse honest work: offline edits replayed on
 * reconnect, a second tab, a replica that reloads with its old client id
 * (also across a relay restart), empty and repeated sync messages, and
 * concurrent read markers from two tabs.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf, reactionKey, reactionsOf, readsOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { encodeSyncStep2 } from '../frames.js';
import { freshCopy, useMemberScene } from '../../testing/member-scene.js';
import { closeCodesOf, whenSynced } from '../../testing/synced-client.js';
import { waitFor } from '../../testing/wait-for.js';

const scene = useMemberScene();

const delivered = (doc: Y.Doc, id: string) => () => seqIndexOf(doc).has(id);

describe('the validator accepts', () => {
  it('offline messages, edits, deletes, read markers and reactions replayed on reconnect', async () => {
    const { alice, mallory, aliceReplica, aliceMessage } = scene;
    const tab = scene.open(alice);
    const codes = closeCodesOf(tab);
    await whenSynced(tab);
    tab.provider.disconnect();
    const messages = messagesOf(tab.doc);
    const written = [
      writeMessage(tab.doc, alice.id, 'one'),
      writeMessage(tab.doc, alice.id, 'two'),
      writeMessage(tab.doc, alice.id, 'three'),
    ];
    // Edited twice offline: the replay carries the whole chain, the first versions as deleted items.
    messages.set(written[0].id, { ...written[0], text: 'one (edited)', editedAt: Date.now() });
    messages.set(written[0].id, { ...written[0], text: 'one (edited twice)', editedAt: Date.now() });
    // An edit and a delete of a message the relay already has.
    messages.set(aliceMessage.id, { ...aliceMessage, text: '', deleted: true });
    readsOf(tab.doc).set(alice.id, 1);
    reactionsOf(tab.doc).set(reactionKey(aliceMessage.id, '🎉', alice.id), true);
    tab.provider.connect();

    const bob = scene.open(mallory).doc;
    await waitFor(bob, () => written.every((m) => seqIndexOf(bob).has(m.id)), 10_000, 'the replayed messages');
    await waitFor(bob, () => messagesOf(bob).get(aliceMessage.id)?.deleted === true, 10_000, 'the delete');
    expect(messagesOf(bob).get(written[0].id)?.text).toBe('one (edited twice)');
    expect(readsOf(bob).get(alice.id)).toBe(1);
    expect(reactionsOf(bob).has(reactionKey(aliceMessage.id, '🎉', alice.id))).toBe(true);
    expect(codes).not.toContain(CloseCode.invalidUpdate);
    expect(messagesOf(aliceReplica.doc).get(aliceMessage.id)?.deleted).toBe(true);
  });

  it("a second tab editing the first tab's message before the first tab's connection delivered it", async () => {
    const { alice, mallory } = scene;
    const first = scene.open(alice);
    const codes = closeCodesOf(first);
    await whenSynced(first);
    // The second tab sends exactly its own change (a raw session), as a tab does once it has the message.
    const second = await scene.raw(alice);
    first.provider.disconnect();
    const draft = writeMessage(first.doc, alice.id, 'typo');
    // The tabs share the replica (IndexedDB, BroadcastChannel) faster than the first one reconnects.
    Y.applyUpdate(second.doc, Y.encodeStateAsUpdate(first.doc));
    second.write((doc) => messagesOf(doc).set(draft.id, { ...draft, text: 'fixed', editedAt: Date.now() }));
    // The relay holds the edit until its predecessor arrives; nothing of it is visible meanwhile.
    const before = await freshCopy(scene, mallory);
    expect(messagesOf(before).has(draft.id)).toBe(false);
    first.provider.connect();
    const bob = scene.open(mallory).doc;
    await waitFor(bob, () => messagesOf(bob).get(draft.id)?.text === 'fixed', 10_000, 'the edit after its message');
    await waitFor(bob, delivered(bob, draft.id), 10_000, 'a number');
    expect(second.isOpen).toBe(true);
    expect(codes).not.toContain(CloseCode.invalidUpdate);
  });

  it('a replica that reloads with its old client id, also after a relay restart', async () => {
    const { alice, mallory } = scene;
    const tab = scene.open(alice);
    await whenSynced(tab);
    const first = writeMessage(tab.doc, alice.id, 'before reload');
    await waitFor(tab.doc, delivered(tab.doc, first.id), 10_000, 'delivered');
    const saved = Y.encodeStateAsUpdate(tab.doc);
    const clientId = tab.doc.clientID;
    await scene.restart();

    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, saved);
    // As a replica that keeps its client id across reloads: it continues at its old clock.
    reloaded.clientID = clientId;
    const again = scene.open(alice, reloaded);
    const codes = closeCodesOf(again);
    const second = writeMessage(reloaded, alice.id, 'after reload');
    const reader = scene.open(mallory);
    await waitFor(reader.doc, delivered(reader.doc, second.id), 10_000, 'the message written under the old client id');
    expect(codes).not.toContain(CloseCode.invalidUpdate);
    // The binding survived the restart: the id is still Alice's alone.
    const intruder = await scene.raw(mallory);
    intruder.doc.clientID = clientId;
    intruder.write((doc) => writeMessage(doc, mallory.id, 'under her id'));
    expect(await intruder.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' });
  });

  it('an empty step 2 and the same update sent again and again', async () => {
    const { alice } = scene;
    const session = await scene.raw(alice);
    session.sendFrame(encodeSyncStep2(Uint8Array.from([0, 0])));
    const update = Y.encodeStateAsUpdate(scene.aliceReplica.doc);
    for (let i = 0; i < 3; i++) session.sendUpdate(update);
    const marker = writeMessage(scene.aliceReplica.doc, alice.id, 'marker');
    await waitFor(session.doc, () => messagesOf(session.doc).has(marker.id), 10_000, 'the marker');
    expect(session.isOpen).toBe(true);
    expect(messagesOf(session.doc).get(scene.aliceMessage.id)).toEqual(scene.aliceMessage);
  });

  it('a lower read marker written concurrently by another tab', async () => {
    const { alice } = scene;
    const [first, second] = [scene.open(alice), scene.open(alice)];
    const codes = [first, second].flatMap((tab) => closeCodesOf(tab));
    await Promise.all([whenSynced(first), whenSynced(second)]);
    readsOf(first.doc).set(alice.id, 0);
    await waitFor(second.doc, () => readsOf(second.doc).get(alice.id) === 0, 10_000, 'both tabs at 0');
    second.provider.disconnect();
    const second2 = writeMessage(scene.aliceReplica.doc, alice.id, 'a second message');
    await waitFor(first.doc, delivered(first.doc, second2.id), 10_000, 'message 2');
    readsOf(first.doc).set(alice.id, 2);
    await waitFor(scene.aliceReplica.doc, () => readsOf(scene.aliceReplica.doc).get(alice.id) === 2, 10_000, 'the first marker');
    // The second tab replaces the 0 it saw with 1: not a lowering, though the relay already holds 2.
    readsOf(second.doc).set(alice.id, 1);
    second.provider.connect();
    await whenSynced(second);
    const fresh = await freshCopy(scene);
    await waitFor(fresh, () => readsOf(fresh).has(alice.id), 10_000, 'a marker');
    expect(codes).not.toContain(CloseCode.invalidUpdate);
  });
});
