/**
 * Dormant rooms (room-dormancy.ts, docs/ARCHITECTURE.md "Dormant rooms"):
 * an idle loaded room keeps its document as bytes and builds its Y.Doc
 * again when something needs it. Over real sockets to a real server on
 * LevelDB, nothing of the relay's promises may change across a sleep: every
 * update is still validated (the claims on client ids too), stored before
 * anyone sees it and numbered with the next `seq`; a fresh device gets the
 * whole document; presence keeps flowing without waking the document.
 *
 * The threshold is set far out, so the dormancy timer never fires on its
 * own: each test puts the room to sleep with explicit sweeps.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, metaOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { heapUsedAfterGc } from '../testing/heap-after-gc.js';
import { freshCopy, useMemberScene } from '../testing/member-scene.js';
import { PresenceWatcher, presenceFrame, syncRoundTrip } from '../testing/presence-frames.js';
import { openRawSession, type RawSession } from '../testing/raw-session.js';
import { whenSynced } from '../testing/synced-client.js';
import { waitFor } from '../testing/wait-for.js';
import { decodeFrame, encodeSyncStep1 } from './frames.js';
import type { Room } from './room.js';

const scene = useMemberScene({ roomDormantAfterMs: 3_600_000 });

/** Sweeps the registry's dormancy until the room of the scene's conversation sleeps (it must within five sweeps). */
async function asleep(): Promise<Room> {
  const registry = scene.server.context.registry;
  const room = await registry.acquire(scene.docName);
  registry.release(room);
  // Settle what the scene's last message set going (heads, search) before the room is judged idle.
  await room.flushed();
  for (let sweep = 0; sweep < 5; sweep++) registry.dormancy.sweep();
  expect(room.isDormant).toBe(true);
  return room;
}

/** Writes a message on Alice's replica and resolves with its number once it is delivered. */
async function delivered(text: string): Promise<{ message: Message; seq: number | undefined }> {
  const replica = scene.aliceReplica.doc;
  const message = writeMessage(replica, scene.alice.id, text);
  await waitFor(replica, () => seqIndexOf(replica).has(message.id), 10_000, `"${text}" numbered`);
  return { message, seq: seqIndexOf(replica).get(message.id) };
}

it('a sleeping room takes a message: validated, stored, numbered with the next seq', async () => {
  const room = await asleep();
  const { message, seq } = await delivered('after a sleep');
  expect(seq).toBe(2);
  expect(room.isDormant).toBe(false);
  // Stored: the log on disk holds the message and its number.
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await new LevelDocumentLog(scene.server.context.db).load(scene.docName)).update);
  expect(messagesOf(stored).get(message.id)).toEqual(message);
  expect(seqIndexOf(stored).get(message.id)).toBe(2);
});

it('a sleeping room still refuses a forged author and a write under someone else’s client id', async () => {
  await asleep();
  const forger = await scene.raw(scene.mallory);
  const forged = textMessage(scene.mallory.id, 'I owe Mallory 1000 €', { author: scene.alice.id });
  // The raw session synced, which woke the room: sleep again before the attack.
  await asleep();
  forger.write((doc) => messagesOf(doc).set(forged.id, forged));
  expect(await forger.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: forged-author' });

  await asleep();
  const squatter = await scene.raw(scene.mallory);
  await asleep();
  // Alice's replica wrote the scene's message under this id before the room slept: the claim must survive the sleep.
  squatter.doc.clientID = scene.aliceReplica.doc.clientID;
  squatter.write((doc) => writeMessage(doc, scene.mallory.id, 'under her id'));
  expect(await squatter.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: foreign-client-id' });

  const fresh = await freshCopy(scene);
  expect(messagesOf(fresh).has(forged.id)).toBe(false);
  expect([...messagesOf(fresh).values()].map((m) => m.text)).toEqual(['hello from Alice']);
});

it('a device that joins a sleeping room gets the whole document', async () => {
  await asleep();
  const fresh = await freshCopy(scene, scene.mallory);
  expect(messagesOf(fresh).get(scene.aliceMessage.id)).toEqual(scene.aliceMessage);
  expect(seqIndexOf(fresh).get(scene.aliceMessage.id)).toBe(1);
  expect(Object.keys(metaOf(fresh).get('members') as object).sort()).toEqual([scene.alice.id, scene.mallory.id].sort());
});

it('presence flows between two connections while the room sleeps, without waking it', async () => {
  const sender = await scene.raw(scene.alice);
  const receiver = await scene.raw(scene.mallory);
  const watcher = new PresenceWatcher(receiver.socket);
  const room = await asleep();
  sender.sendFrame(presenceFrame(sender.doc.clientID, 1, { user: { name: 'Alice' }, typing: false }));
  await watcher.until(() => watcher.latest.get(sender.doc.clientID)?.clock === 1, "Alice's presence");
  sender.sendFrame(presenceFrame(sender.doc.clientID, 2, { user: { name: 'Alice' }, typing: false, cursor: 3 }));
  await watcher.until(() => watcher.latest.get(sender.doc.clientID)?.clock === 2, "Alice's second presence");
  expect(room.isDormant).toBe(true);
  // A sync round trip only reads: answered from the kept bytes, still asleep.
  expect(await syncRoundTrip(receiver)).toBe('answered');
  expect(room.isDormant).toBe(true);
});

it('a server change on a sleeping room is stored and sent, under the client id the server had', async () => {
  const room = await asleep();
  const registry = scene.server.context.registry;
  await registry.change(scene.docName, (doc) => metaOf(doc).set('notice', 'written while asleep'));
  const replica = scene.aliceReplica.doc;
  await waitFor(replica, () => metaOf(replica).get('notice') === 'written while asleep', 10_000, 'the notice');
  const serverId = room.doc.clientID;
  await asleep();
  await registry.change(scene.docName, (doc) => metaOf(doc).set('notice', 'again'));
  expect(room.doc.clientID).toBe(serverId);
  expect(metaOf(await freshCopy(scene)).get('notice')).toBe('again');
});

it('sleeping and waking between messages gives what a room that never slept gives: seq 1..N, the same document', async () => {
  const room = await asleep();
  const written: string[] = [scene.aliceMessage.id];
  for (let round = 0; round < 6; round++) {
    const { message, seq } = await delivered(`round ${round}`);
    written.push(message.id);
    expect(seq).toBe(written.length);
    // Some rounds sleep between messages, some do not.
    if (round % 3 !== 2) await asleep();
  }
  // Numbered 1..N in the order written, as a room that never sleeps numbers them; the stored document is the replica's.
  const fresh = await freshCopy(scene);
  const numbers = written.map((id) => seqIndexOf(fresh).get(id));
  expect(numbers).toEqual(written.map((_, index) => index + 1));
  expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(scene.aliceReplica.doc));
  expect([...messagesOf(fresh).keys()].sort()).toEqual([...messagesOf(scene.aliceReplica.doc).keys()].sort());
  expect(room.hasFailed).toBe(false);
});

it('a sleeping room unloads with nothing to wake for, and loads again whole', async () => {
  await delivered('before the unload');
  const room = await asleep();
  const registry = scene.server.context.registry;
  const unloaded = new Promise<void>((resolve) => {
    const stop = registry.onUnload((docName) => {
      if (docName !== scene.docName) return;
      stop();
      resolve();
    });
  });
  scene.destroy();
  await unloaded;
  expect(room.isDormant).toBe(true);
  // Unloading compacted its log from the bytes it slept with.
  const stored = await new LevelDocumentLog(scene.server.context.db).load(scene.docName);
  expect(stored.entries).toBe(1);
  const fresh = await freshCopy(scene);
  expect([...messagesOf(fresh).values()].map((m) => m.text).sort()).toEqual(['before the unload', 'hello from Alice']);
});

it('a sleeping room holds no Y.Doc: the one it slept from is collected', async () => {
  const registry = scene.server.context.registry;
  const room = await registry.acquire(scene.docName);
  registry.release(room);
  const slept = new WeakRef(room.doc);
  await asleep();
  // WeakRefs are cleared only after the job that read them: collect, let the turn end, collect again.
  heapUsedAfterGc();
  await new Promise((resolve) => setImmediate(resolve));
  heapUsedAfterGc();
  expect(slept.deref()).toBeUndefined();
  expect(room.isDormant).toBe(true);
});

/** Opens a raw session of `user` on the scene's conversation with `doc`, keeping every sync step 2 the relay sends it. */
async function rawWithAnswers(user = scene.alice, doc = new Y.Doc()): Promise<{ session: RawSession; answers: Uint8Array[] }> {
  const session = await openRawSession(scene.server, user, scene.docName, doc);
  const answers: Uint8Array[] = [];
  // Attached before the relay's answer can arrive: it needs a round trip, this runs in the same turn as the send.
  session.socket.on('message', (data: Buffer) => {
    const frame = decodeFrame(new Uint8Array(data));
    if (frame.type === 'sync-step-2') answers.push(frame.update);
  });
  await session.synced;
  return { session, answers };
}

it('a reconnect storm does not wake a sleeping room: every client syncs from the kept bytes and ends with the whole document', async () => {
  // Devices that had the conversation open: copies of the whole document, of both members.
  const devices: Y.Doc[] = [];
  for (let index = 0; index < 12; index++) devices.push(await freshCopy(scene, index % 2 === 0 ? scene.alice : scene.mallory));
  const room = await asleep();
  const dormancy = scene.server.context.registry.dormancy;
  const wakesBefore = dormancy.wakes;
  // Alice's stock provider drops and reconnects (its step 2 answers the room's step 1 with her delete set).
  scene.aliceReplica.provider.disconnect();
  scene.aliceReplica.provider.connect();
  await whenSynced(scene.aliceReplica);
  // The rest reconnect at once, and two fresh devices join.
  const storm = devices.map((doc, index) => rawWithAnswers(index % 2 === 0 ? scene.alice : scene.mallory, doc));
  storm.push(rawWithAnswers(scene.alice), rawWithAnswers(scene.mallory));
  const sessions = await Promise.all(storm);
  // The relay answers a step 1 only after every frame the session sent before it (its step 2 too) is handled.
  for (const { session } of sessions) expect(await syncRoundTrip(session)).toBe('answered');
  expect(room.isDormant).toBe(true);
  expect(dormancy.wakes).toBe(wakesBefore);
  const whole = Y.encodeStateVector(scene.aliceReplica.doc);
  for (const { session } of sessions) {
    expect(Y.encodeStateVector(session.doc)).toEqual(whole);
    expect(messagesOf(session.doc).get(scene.aliceMessage.id)).toEqual(scene.aliceMessage);
    session.close();
  }
  // A write after the storm wakes the room: still validated (a forged author is refused) and numbered next.
  const forger = await scene.raw(scene.mallory);
  const forged = textMessage(scene.mallory.id, 'forged', { author: scene.alice.id });
  forger.write((doc) => messagesOf(doc).set(forged.id, forged));
  expect(await forger.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: forged-author' });
  expect(dormancy.wakes).toBe(wakesBefore + 1);
  await asleep();
  const { seq } = await delivered('after the storm');
  expect(seq).toBe(2);
  expect(room.isDormant).toBe(false);
});

it('a device holding part of a sleeping room gets exactly the rest, without waking it', async () => {
  const partial = await freshCopy(scene);
  const known = Y.decodeStateVector(Y.encodeStateVector(partial));
  await delivered('one');
  await delivered('two');
  const room = await asleep();
  const wakesBefore = scene.server.context.registry.dormancy.wakes;
  const { session, answers } = await rawWithAnswers(scene.alice, partial);
  expect(answers).toHaveLength(1);
  // Every struct of the answer is past what the device had: the rest, not the whole document again.
  const { from } = Y.parseUpdateMeta(answers[0]);
  expect(from.size).toBeGreaterThan(0);
  for (const [client, clock] of from) expect(clock).toBeGreaterThanOrEqual(known.get(client) ?? 0);
  expect(Y.encodeStateVector(session.doc)).toEqual(Y.encodeStateVector(scene.aliceReplica.doc));
  expect([...messagesOf(session.doc).values()].map((m) => m.text).sort()).toEqual(['hello from Alice', 'one', 'two']);
  expect(await syncRoundTrip(session)).toBe('answered');
  expect(room.isDormant).toBe(true);
  expect(scene.server.context.registry.dormancy.wakes).toBe(wakesBefore);
});

it('a malformed state vector gets the same refusal from a sleeping room as from an awake one', async () => {
  const malformed = encodeSyncStep1(new Uint8Array([3, 1]));
  const awake = await scene.raw(scene.mallory);
  awake.sendFrame(malformed);
  const awakeClose = await awake.closed;
  expect(awakeClose.code).toBe(CloseCode.invalidUpdate);
  const room = await asleep();
  const sleeping = await scene.raw(scene.mallory);
  sleeping.sendFrame(malformed);
  expect(await sleeping.closed).toEqual(awakeClose);
  expect(room.isDormant).toBe(true);
});

it('a step 2 that brings a deletion the sleeping room lacks wakes it and is judged as every update is', async () => {
  const session = await scene.raw(scene.mallory);
  const room = await asleep();
  const wakesBefore = scene.server.context.registry.dormancy.wakes;
  // Mallory deletes Alice's message on her replica and hands her delete set over as a step 2: only the awake validator may judge it.
  session.doc.transact(() => messagesOf(session.doc).delete(scene.aliceMessage.id));
  session.sendUpdate(Y.encodeStateAsUpdate(session.doc, Y.encodeStateVector(session.doc)));
  const closed = await session.closed;
  expect(closed.code).toBe(CloseCode.invalidUpdate);
  expect(scene.server.context.registry.dormancy.wakes).toBe(wakesBefore + 1);
  expect(room.isDormant).toBe(false);
  expect(messagesOf(await freshCopy(scene)).get(scene.aliceMessage.id)).toEqual(scene.aliceMessage);
});
