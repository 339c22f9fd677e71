/**
 * Updates whose predecessors are missing (Yjs "pending structs"): the relay
 * keeps them out of the document, bounded per connection, and applies and
 * checks them only once their predecessors arrive.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { captureUpdates } from '../../../shared/testing/update-capture.js';
import { freshCopy, useMemberScene } from '../../testing/member-scene.js';
import { waitFor } from '../../testing/wait-for.js';
import { DEFAULT_WAITING_LIMITS } from './waiting-updates.js';

const scene = useMemberScene();

/** Mallory's messages written offline, one update each, the way her replica would send them live. */
function offlineMessages(count: number): { doc: Y.Doc; updates: Uint8Array[]; ids: string[] } {
  const doc = new Y.Doc();
  const ids: string[] = [];
  const updates = captureUpdates(doc, () => {
    for (let i = 0; i < count; i++) ids.push(writeMessage(doc, scene.mallory.id, `offline ${i}`).id);
  });
  return { doc, updates, ids };
}

async function relayCopy(): Promise<{ encoded: Uint8Array; pending: boolean }> {
  const room = await scene.server.context.registry.acquire(scene.docName);
  try {
    await room.flushed();
    return {
      encoded: Y.encodeStateAsUpdate(room.doc),
      pending: room.doc.store.pendingStructs !== null || room.doc.store.pendingDs !== null,
    };
  } finally {
    scene.server.context.registry.release(room);
  }
}

describe('updates whose predecessors are missing', () => {
  it('are not sent, stored or kept in the document until the predecessors arrive', async () => {
    const { doc, updates, ids } = offlineMessages(2);
    const session = await scene.raw(scene.mallory);
    session.sendUpdate(updates[1]);
    const fresh = await freshCopy(scene);
    expect(messagesOf(fresh).has(ids[1])).toBe(false);
    const relay = await relayCopy();
    expect(relay.pending).toBe(false);
    expect(Y.decodeUpdate(relay.encoded).structs.some((s) => s.id.client === doc.clientID)).toBe(false);

    session.sendUpdate(updates[0]);
    const alice = scene.aliceReplica.doc;
    await waitFor(alice, () => ids.every((id) => messagesOf(alice).has(id)), 10_000, 'both messages, in order');
    expect(session.isOpen).toBe(true);
  });

  it('close the connection past the bound, and none of them is ever stored', async () => {
    const { doc, updates } = offlineMessages(DEFAULT_WAITING_LIMITS.maxUpdates + 2);
    const session = await scene.raw(scene.mallory);
    for (const update of updates.slice(1)) session.sendUpdate(update);
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: too-many-waiting' });
    await scene.restart();
    const stored = await scene.server.context.registry.acquire(scene.docName);
    expect(Y.getState(stored.doc.store, doc.clientID)).toBe(0);
    scene.server.context.registry.release(stored);
  });

  it("are refused when they turn out to delete another member's message", async () => {
    const alice = scene.aliceReplica.doc;
    const next = Y.getState(alice.store, alice.clientID);
    // A bare delete set for clocks Alice has not used yet: her next messages.
    const encoder = encoding.createEncoder();
    for (const n of [0, 1, alice.clientID, 1, next, 5]) encoding.writeVarUint(encoder, n);
    const session = await scene.raw(scene.mallory);
    session.sendUpdate(encoding.toUint8Array(encoder));
    const message = writeMessage(alice, scene.alice.id, 'you cannot delete this in advance');
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: not-your-message' });
    const fresh = await freshCopy(scene);
    expect(messagesOf(fresh).get(message.id)).toEqual(message);
    expect(messagesOf(alice).get(message.id)).toEqual(message);
  });
});
