/**
 * Shared conversation heads across relays (docs/PROTOCOL.md, "Shared
 * conversation heads", step 4): two real relays in this process on one
 * PostgreSQL schema and one Redis prefix, HEADS_SHARED on. A member whose
 * `/mux` socket is on the relay that does not own the conversation gets
 * the head of a message written through the owner (over the bus, the
 * document never loaded there); a removed member's socket on that relay
 * does not; after both relays are restarted, a catch-up with `since` is
 * served from PostgreSQL with the head written after it, and revs grew.
 */
import * as decoding from 'lib0/decoding';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import {
  encodeHeadsSubscribe,
  type HeadFrame,
  HEADS_FRAME_NAME,
  HeadMessageType,
  readCaughtUp,
  readHeadMessage,
} from '../../shared/head-frames.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { HeadHub } from '../participants/head-hub.js';
import { HeadTable, MemoryHeadRecords } from '../participants/head-table.js';
import { MuxHeads } from '../relay/mux-heads.js';
import type { RunningServer } from '../server.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { api } from '../testing/api-call.js';
import { type MuxTestClient, openMux } from '../testing/mux-client.js';
import { groupThrough } from '../testing/relay-cluster.js';
import { addressOf } from '../testing/server-address.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useClusterRelays } from '../testing/use-cluster-relays.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { useTestSchema } from '../testing/use-test-schema.js';
import { waitFor } from '../testing/wait-for.js';
import { ClusterHeads, headsChannel } from './cluster-heads.js';
import { MemoryBusHub } from './memory-cluster-bus.js';

const postgres = useTestSchema({ each: true });
const redis = useTestRedis();
const cluster = useClusterRelays(postgres, redis);
/** How long a head may take between relays on a loaded machine (the whole suite beside this file). */
const SLOW = 30_000;
const clients: SyncedClient[] = [];
const sockets: MuxTestClient[] = [];

// Registered after the relays' hook, so it runs before the relays close (vitest runs after-hooks in reverse).
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.close();
});

/** `count` relays with shared heads, each head sent at once. */
function startRelays(count: number): Promise<RunningServer[]> {
  return cluster.start(count, 5000, { headsShared: true, headsCoalesceMs: 0 });
}

/** Closes every client and socket, then `relays` (closing twice is harmless: the relays' hook does it again). */
async function stopRelays(relays: readonly RunningServer[]): Promise<void> {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.close();
  for (const relay of relays) await relay.close();
}

/** A `/mux` socket on `relay` subscribed to `user`'s heads from `since`, caught up; its heads as they arrive. */
async function listening(relay: RunningServer, user: TestUser, since = 0) {
  const socket = await openMux(relay, user.cookie);
  sockets.push(socket);
  const ofType = (type: number) => socket.frames.filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === type);
  const heads = (): HeadFrame[] => ofType(HeadMessageType.head).map((f) => readHeadMessage(f.message) as HeadFrame);
  socket.sendFrame(encodeHeadsSubscribe(since));
  await socket.until(() => ofType(HeadMessageType.caughtUp).length > 0, 'caught up', SLOW);
  const caughtUp = readCaughtUp(ofType(HeadMessageType.caughtUp)[0].message);
  return { socket, heads, caughtUp, caughtUpCount: () => ofType(HeadMessageType.caughtUp).length };
}

it('a head written by the owner on one relay reaches a member on the other, not a removed member; a catch-up after a restart comes from PostgreSQL', async () => {
  const [one, two] = await startRelays(2);
  const [ada, bob, cyd] = [await createUser(one, 'Ada'), await createUser(one, 'Bob'), await createUser(one, 'Cyd')];
  const groupId = await groupThrough(addressOf(one), ada, [bob, cyd]);
  const docName = convDocName(groupId);
  const adaClient = openDoc(one, ada, docName, new Y.Doc(), { maxBackoffTime: 300 });
  clients.push(adaClient);
  await whenSynced(adaClient);
  // The relay that owns the conversation writes its heads; Bob and Cyd listen on the other one.
  const ownerId = await cluster.ownerOf(docName);
  const owner = [one, two].find((relay) => relay.postgres?.lease.id === ownerId);
  if (!owner) throw new Error(`no relay of the test owns ${docName}`);
  const other = owner === one ? two : one;
  const bobs = await listening(other, bob);
  const cyds = await listening(other, cyd);

  const send = async (text: string) => {
    const message = writeMessage(adaClient.doc, ada.id, text);
    await waitFor(adaClient.doc, () => seqIndexOf(adaClient.doc).has(message.id), SLOW, `"${text}" numbered`);
    return seqIndexOf(adaClient.doc).get(message.id) ?? -1;
  };
  const hello = await send('hello from the owner');
  const headOf = (listener: typeof bobs, seq: number) => listener.heads().find((h) => h.conversationId === groupId && h.head.seq === seq);
  await bobs.socket.until(() => headOf(bobs, hello) !== undefined, "the owner's head at Bob, on the other relay", SLOW);
  await cyds.socket.until(() => headOf(cyds, hello) !== undefined, "the owner's head at Cyd, on the other relay", SLOW);
  expect(headOf(bobs, hello)).toMatchObject({ head: { author: ada.id, preview: 'hello from the owner', kind: 'text' } });
  // It came over the bus: the other relay never loaded the conversation.
  expect(other.context.registry.isLoaded(docName)).toBe(false);

  // Cyd is removed; the next head reaches Bob on the same relay, from the same bus message, and not her.
  expect((await api(one, 'DELETE', `/api/conversations/${groupId}/members/${cyd.id}`, { cookie: ada.cookie })).status).toBe(204);
  const after = await send('after the removal');
  await bobs.socket.until(() => headOf(bobs, after) !== undefined, 'the head after the removal at Bob', SLOW);
  // A round trip on Cyd's socket: whatever the relay sent her before its answer has arrived.
  cyds.socket.sendFrame(encodeHeadsSubscribe(0));
  await cyds.socket.until(() => cyds.caughtUpCount() >= 2, "Cyd's second catch-up", SLOW);
  expect(cyds.heads().filter((h) => h.conversationId === groupId && h.head.seq >= after)).toEqual([]);
  const helloRev = headOf(bobs, hello)?.rev ?? 0;
  const afterRev = headOf(bobs, after)?.rev ?? 0;
  expect(afterRev).toBeGreaterThan(helloRev);

  // Every relay restarts: nothing is in memory, the catch-up reads PostgreSQL.
  await stopRelays([one, two]);
  const [restarted] = await startRelays(1);
  const bobAgain = await listening(restarted, bob, helloRev);
  expect(bobAgain.heads().find((h) => h.conversationId === groupId)).toEqual(headOf(bobs, after));
  expect(bobAgain.caughtUp).toBeGreaterThanOrEqual(afterRev);
  const cydAgain = await listening(restarted, cyd, 0);
  expect(cydAgain.heads().filter((h) => h.conversationId === groupId)).toEqual([]);
}, 120_000);

it('the bus channel reads back what it wrote and refuses bytes that are not a head', () => {
  const published = {
    origin: 'relay-a',
    members: ['u1', 'u2'],
    head: { conversationId: 'c1', rev: 1_790_000_000_000, head: { seq: 3, at: 5, author: 'u1', kind: 'text' as const, preview: 'hi' } },
  };
  const bytes = headsChannel.encode(published);
  expect(headsChannel.decode(bytes)).toEqual(published);
  expect(headsChannel.decode(bytes.slice(0, -1))).toBeNull();
  expect(headsChannel.decode(new Uint8Array([...bytes, 0]))).toBeNull();
  expect(headsChannel.decode(new Uint8Array([1, 97, 255, 255, 255, 255, 15]))).toBeNull();
});

/** The heads in whole frames a socket was sent, in order. */
function headsIn(frames: readonly Uint8Array[]): HeadFrame[] {
  return frames.flatMap((frame) => {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarString(decoder) !== HEADS_FRAME_NAME) return [];
    const head = readHeadMessage(decoding.readTailAsUint8Array(decoder));
    return head ? [head] : [];
  });
}

it('over the bus: members only, once on the publishing relay, and a head lost while the bus was away comes from the table after it reconnects', async () => {
  const hub = new MemoryBusHub(quietLogger);
  const [busA, busB] = [hub.node(), hub.node()];
  const table = new HeadTable(new MemoryHeadRecords());
  const [hubA, hubB] = [new HeadHub(), new HeadHub()];
  const [relayA, relayB] = [await ClusterHeads.start(busA, hubA, quietLogger), await ClusterHeads.start(busB, hubB, quietLogger)];
  // Cyd is not a member (the membership store says so, and the writer does not name her).
  const source = (hubOf: HeadHub) => ({ hub: hubOf, table, conversationIdsOf: async (userId: string) => (userId === 'cyd' ? [] : ['c1']) });
  const sent = { adaOnA: [] as Uint8Array[], bobOnB: [] as Uint8Array[], cydOnB: [] as Uint8Array[] };
  const subscribe = (hubOf: HeadHub, userId: string, frames: Uint8Array[]) => {
    const heads = new MuxHeads(source(hubOf), userId, (frame) => frames.push(frame), quietLogger);
    heads.subscribe(0);
    return heads;
  };
  const subscriptions = [subscribe(hubA, 'ada', sent.adaOnA), subscribe(hubB, 'bob', sent.bobOnB), subscribe(hubB, 'cyd', sent.cydOnB)];
  const write = async (seq: number) => {
    const record = await table.put('c1', { seq, at: seq, author: 'ada', kind: 'text', preview: `m${seq}` });
    if (!record) throw new Error('a new head');
    relayA.publish(['ada', 'bob'], { conversationId: 'c1', rev: record.rev, head: record.head });
    return record.rev;
  };
  const until = async (what: string, done: () => boolean) => {
    for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  };
  const seqs = (frames: Uint8Array[]) => headsIn(frames).map((h) => h.head.seq);

  await write(1);
  await until('the head at Bob, on relay B', () => seqs(sent.bobOnB).includes(1));
  // Ada hears it once, from her own relay: the bus's copy reached relay A before relay B (the hub delivers in node order), and was skipped.
  expect(seqs(sent.adaOnA)).toEqual([1]);
  expect(seqs(sent.cydOnB)).toEqual([]);

  hub.disconnect(busB);
  const lostRev = await write(2);
  expect(seqs(sent.bobOnB)).not.toContain(2);
  hub.reconnect(busB);
  await until('the lost head at Bob, from the table', () => seqs(sent.bobOnB).includes(2));
  expect(headsIn(sent.bobOnB).find((h) => h.head.seq === 2)?.rev).toBe(lostRev);
  expect(seqs(sent.cydOnB)).toEqual([]);
  for (const subscription of subscriptions) subscription.stop();
  await relayA.close();
  await relayB.close();
});
