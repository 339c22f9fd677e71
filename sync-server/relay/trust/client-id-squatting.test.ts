/**
 * Issue 20, item 1: client-id squatting through presence. The stock client
 * announces its Yjs client id in awareness before it first writes; a member
 * who watches presence used to bind that id to themself with one struct (even
 * one that never integrates), so the victim's every write was refused with
 * `foreign-client-id`, again after each recovery, for good. Now an announced
 * id is its announcer's, a binding is made only by structs that integrate,
 * and the squatter is the one closed.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { freshCopy, useMemberScene } from '../../testing/member-scene.js';
import { closeCodesOf, type SyncedClient, whenSynced } from '../../testing/synced-client.js';
import { waitFor } from '../../testing/wait-for.js';
import { presenceFrame } from '../../testing/presence-frames.js';
import { encodeSyncStep2 } from '../frames.js';

const scene = useMemberScene();

const refusedForeign = { code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' };

/** An update holding one GC struct of `length` under `clientId` at `clock` (the y-protocols v1 layout). */
function gcStruct(clientId: number, clock: number, length = 1): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, 0); // info: GC
  encoding.writeVarUint(encoder, length);
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

/** Resolves when `awareness` shows (or, with `present` false, no longer shows) a state for `clientId`. */
function presenceOf(awareness: Awareness, clientId: number, present = true, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const holds = () => awareness.getStates().has(clientId) === present;
    if (holds()) return resolve();
    const stop = () => {
      clearTimeout(timer);
      awareness.off('change', check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for the presence of ${clientId} to be ${present ? 'set' : 'gone'}`));
    }, timeoutMs);
    function check(): void {
      if (!holds()) return;
      stop();
      resolve();
    }
    awareness.on('change', check);
  });
}

/** Alice opens a fresh tab that announces itself, as the stock client does, and Mallory sees the announcement. */
async function announcedVictim(): Promise<{ tab: SyncedClient; codes: number[]; clientId: number }> {
  const tab = scene.open(scene.alice);
  const codes = closeCodesOf(tab);
  tab.provider.awareness.setLocalStateField('user', { name: 'Alice' });
  await whenSynced(tab);
  const watcher = scene.open(scene.mallory).provider.awareness;
  await presenceOf(watcher, tab.doc.clientID);
  return { tab, codes, clientId: tab.doc.clientID };
}

/** The victim writes a message and it is delivered (numbered) to another member; none of her connections was refused. */
async function victimKeepsWriting(tab: SyncedClient, codes: number[], text: string): Promise<void> {
  const message = writeMessage(tab.doc, scene.alice.id, text);
  const reader = scene.open(scene.mallory);
  await waitFor(reader.doc, () => seqIndexOf(reader.doc).has(message.id), 10_000, `"${text}" delivered`);
  expect(codes).not.toContain(CloseCode.invalidUpdate);
}

describe('client-id squatting', () => {
  it('a pending GC struct under an announced id closes the squatter, not the victim', async () => {
    const { tab, codes, clientId } = await announcedVictim();
    const squatter = await scene.raw(scene.mallory);
    // Far ahead of the id's state: Yjs would keep it pending, it never integrates.
    squatter.sendUpdate(gcStruct(clientId, 1000));
    expect(await squatter.closed).toEqual(refusedForeign);
    await victimKeepsWriting(tab, codes, 'not silenced');
  });

  it('an integrating struct under an announced id closes the squatter, not the victim', async () => {
    const { tab, codes, clientId } = await announcedVictim();
    const squatter = await scene.raw(scene.mallory);
    squatter.doc.clientID = clientId;
    squatter.write((doc) => writeMessage(doc, scene.mallory.id, 'under her id'));
    expect(await squatter.closed).toEqual(refusedForeign);
    const gc = await scene.raw(scene.mallory);
    gc.sendUpdate(gcStruct(clientId, 0, 5));
    expect(await gc.closed).toEqual(refusedForeign);
    await victimKeepsWriting(tab, codes, 'still writing');
  });

  it('structs under an announced id in a sync step 2 are left out: nothing of them lands, the victim keeps writing', async () => {
    const { tab, codes, clientId } = await announcedVictim();
    const squatter = await scene.raw(scene.mallory);
    const squatDoc = new Y.Doc();
    squatDoc.clientID = clientId;
    const planted = writeMessage(squatDoc, scene.mallory.id, 'planted under her id');
    // A step 2 may carry other people's lost structs (healing), so it is not refused: they are left out.
    squatter.sendFrame(encodeSyncStep2(Y.encodeStateAsUpdate(squatDoc)));
    await victimKeepsWriting(tab, codes, 'unaffected');
    const fresh = await freshCopy(scene);
    expect(messagesOf(fresh).has(planted.id)).toBe(false);
    // Nothing of Mallory's landed: every message the relay holds is Alice's.
    expect([...messagesOf(fresh).values()].filter((message) => message.author !== scene.alice.id)).toEqual([]);
  });

  it('a pending struct binds nothing: the id stays free for whoever integrates under it first', async () => {
    const unannounced = new Y.Doc().clientID;
    const squatter = await scene.raw(scene.mallory);
    squatter.sendUpdate(gcStruct(unannounced, 1000));
    // Alice's replica happens to use that id and has not announced it yet (a raw session announces nothing).
    const victimDoc = new Y.Doc();
    victimDoc.clientID = unannounced;
    const victim = await scene.raw(scene.alice, victimDoc);
    const message = victim.write((doc) => writeMessage(doc, scene.alice.id, 'first write under my id'));
    const reader = scene.open(scene.mallory);
    const [written] = [...Y.decodeUpdate(message).structs];
    expect(written.id.client).toBe(unannounced);
    await waitFor(reader.doc, () => seqIndexOf(reader.doc).size === 2, 10_000, "Alice's first write delivered");
    expect(victim.isOpen).toBe(true);
    // The squatter's waiting struct is checked again once the id advanced: now it is Alice's.
    expect(await squatter.closed).toEqual(refusedForeign);
    // Nothing bound the id to Mallory on disk either.
    await scene.restart();
    const again = await scene.raw(scene.alice, victimDoc);
    again.write((doc) => writeMessage(doc, scene.alice.id, 'after a restart'));
    const later = scene.open(scene.mallory);
    await waitFor(later.doc, () => seqIndexOf(later.doc).size === 3, 10_000, 'the write after a restart');
    expect(again.isOpen).toBe(true);
  });

  it('announcing the victim’s id after her presence ended closes the squatter; the victim comes back and writes', async () => {
    const { tab, codes, clientId } = await announcedVictim();
    const watcher = scene.open(scene.mallory).provider.awareness;
    await presenceOf(watcher, clientId);
    tab.provider.disconnect();
    await presenceOf(watcher, clientId, false);
    const squatter = await scene.raw(scene.mallory);
    squatter.sendFrame(presenceFrame(clientId, 1_000_000, { user: { name: 'Mallory as Alice' } }));
    expect(await squatter.closed).toEqual(refusedForeign);
    // The squatter's state never reached anyone: the watcher saw only the removal.
    expect(watcher.getStates().has(clientId)).toBe(false);
    tab.provider.connect();
    await whenSynced(tab);
    await victimKeepsWriting(tab, codes, 'back again');
  });
});
