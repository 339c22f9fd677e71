/**
 * One socket for many documents (`/mux`, issue 12): attacks on the framing
 * and on per-document authorization, over real sockets to a real server.
 * A malformed name closes the socket with 4400; anything about one document
 * (not a member, removed, a bad message, a cap) ends that document's
 * subscription only, and the others on the same socket keep syncing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { encodeSubscribe, MUX_MAX_DOC_NAME_BYTES, MuxMessageType } from '../../shared/mux-frames.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import { type MuxTestClient, openMux } from '../testing/mux-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS } from './resource-limits.js';

const PERSON_CAP = 6;
const test = useTestServer({ relayResources: { ...DEFAULT_RELAY_RESOURCE_LIMITS, connectionsPerPerson: PERSON_CAP } });
const sockets: MuxTestClient[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function mux(user: Pick<TestUser, 'cookie'>, headers: Record<string, string> = {}): Promise<MuxTestClient> {
  const socket = await openMux(test.server, user.cookie, headers);
  sockets.push(socket);
  return socket;
}

/** `writer` writes a message into `docName` through the stock endpoint; resolves once it reached `aliceDoc` over the mux socket. */
async function bobWrites(writer: TestUser, docName: string, aliceDoc: Y.Doc, text: string): Promise<void> {
  const bobs = test.open(writer, docName);
  const message = writeMessage(bobs.doc, writer.id, text);
  await waitFor(aliceDoc, () => messagesOf(aliceDoc).has(message.id), 10_000, `"${text}" reaches Alice over the mux socket`);
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

describe('the mux socket: who may open it', () => {
  it('closes a socket without a session with 4401', async () => {
    const socket = await mux({ cookie: '' });
    expect((await socket.socketClosed).code).toBe(CloseCode.unauthenticated);
  });

  it('closes the whole socket with 4401 when its session signs out', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice);
    socket.subscribe(userDocName(alice.id));
    await socket.until(() => (socket.frameCounts.get(userDocName(alice.id)) ?? 0) > 0, 'subscribed');
    expect((await api(test.server, 'POST', '/api/auth/logout', { cookie: alice.cookie })).status).toBe(204);
    expect((await socket.socketClosed).code).toBe(CloseCode.unauthenticated);
    // The socket closed as a whole: its document was not told apart first.
    expect(socket.closedDocs.size).toBe(0);
  });

  it('closes a socket from another site (Origin) with 4403', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice, { origin: 'https://evil.example' });
    expect((await socket.socketClosed).code).toBe(CloseCode.forbidden);
  });
});

describe('the mux socket: malformed frames', () => {
  it.each([
    ['a truncated name', bytes(5, 0x63, 0x6f)],
    ['an empty name', bytes(0, 0)],
    [
      'a name over the limit',
      (() => {
        const frame = new Uint8Array(MUX_MAX_DOC_NAME_BYTES + 8);
        frame.set([((MUX_MAX_DOC_NAME_BYTES + 1) & 0x7f) | 0x80, (MUX_MAX_DOC_NAME_BYTES + 1) >> 7]);
        return frame;
      })(),
    ],
    ['a huge length varuint', bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 0)],
    ['a name that is not UTF-8', bytes(2, 0xc3, 0x28, 0)],
    ['a name with no message', bytes(1, 0x61)],
  ])('closes the socket with 4400 on %s', async (_, frame) => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice);
    socket.sendFrame(frame);
    expect((await socket.socketClosed).code).toBe(CloseCode.invalidUpdate);
  });

  it('closes the socket with 4400 on a text frame', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice);
    socket.sendFrame('hello');
    expect((await socket.socketClosed).code).toBe(CloseCode.invalidUpdate);
  });

  it('ends only that document on an unknown message type or a malformed subscribe; the others keep syncing', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const [first, second] = [convDocName(await directConversation(test.server, alice, bob)), userDocName(alice.id)];
    const socket = await mux(alice);
    const doc = socket.subscribe(first);
    socket.subscribe(second);
    await socket.until(() => (socket.frameCounts.get(second) ?? 0) > 0, 'the user document answers');
    socket.sendDoc(second, bytes(7, 1, 2, 3));
    expect((await socket.whenDocClosed(second)).code).toBe(CloseCode.invalidUpdate);
    // A subscribe whose state vector is cut short refuses that name only.
    socket.sendDoc('user/nobody', bytes(MuxMessageType.subscribe, 9, 1));
    expect((await socket.whenDocClosed('user/nobody')).code).toBe(CloseCode.invalidUpdate);
    await bobWrites(bob, first, doc, 'still here');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    expect(socket.closedDocs.has(first)).toBe(false);
  });

  it('ends a document whose message is over its size limit with 1009, not the socket', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice);
    const name = userDocName(alice.id);
    socket.subscribe(name);
    await socket.until(() => (socket.frameCounts.get(name) ?? 0) > 0, 'subscribed');
    const awareness = new Uint8Array(1024 * 1024 + 64);
    awareness[0] = 1;
    socket.sendDoc(name, awareness);
    expect((await socket.whenDocClosed(name)).code).toBe(1009);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  });
});

describe('the mux socket: authorization per document', () => {
  it("refuses a conversation the person is not in, and another person's user document, for those documents only", async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const theirs = convDocName(await directConversation(test.server, alice, bob));
    const [malloryAndBob] = [convDocName(await directConversation(test.server, mallory, bob))];
    const socket = await mux(mallory);
    const own = socket.subscribe(malloryAndBob);
    socket.subscribe(theirs);
    socket.subscribe(userDocName(alice.id));
    socket.subscribe('secrets/all');
    expect(await socket.whenDocClosed(theirs)).toMatchObject({ code: CloseCode.forbidden });
    expect(await socket.whenDocClosed(userDocName(alice.id))).toMatchObject({ code: CloseCode.forbidden });
    expect(await socket.whenDocClosed('secrets/all')).toMatchObject({ code: CloseCode.forbidden, reason: 'unknown document' });
    await bobWrites(bob, malloryAndBob, own, 'only yours');
    // Nothing of the refused documents reached Mallory but the refusal itself.
    expect(socket.frameCounts.get(theirs)).toBe(1);
    expect(socket.frameCounts.get(userDocName(alice.id))).toBe(1);
  });

  it("ends a removed member's conversation while their others keep syncing", async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    await befriend(test.server, ada, bob);
    const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'Choir', memberIds: [bob.id] },
    });
    expect(created.status).toBe(201);
    const group = convDocName(created.body.id);
    const direct = convDocName(
      (
        await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
          cookie: ada.cookie,
          body: { kind: 'direct', email: bob.email },
        })
      ).body.id,
    );
    const socket = await mux(bob);
    const groupDoc = socket.subscribe(group);
    const directDoc = socket.subscribe(direct);
    await bobWrites(ada, group, groupDoc, 'welcome');
    expect(
      (await api(test.server, 'DELETE', `/api/conversations/${created.body.id}/members/${bob.id}`, { cookie: ada.cookie })).status,
    ).toBe(204);
    expect(await socket.whenDocClosed(group)).toMatchObject({ code: CloseCode.forbidden, reason: 'no longer a member' });
    await bobWrites(ada, direct, directDoc, 'we still talk');
    // Subscribing again is refused.
    socket.closedDocs.delete(group);
    socket.subscribe(group);
    expect((await socket.whenDocClosed(group)).code).toBe(CloseCode.forbidden);
  });
});

describe('the mux socket: bounds', () => {
  it('caps subscriptions per person: past the cap a document is refused with 4429, the socket stays', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const direct = convDocName(await directConversation(test.server, alice, bob));
    const socket = await mux(alice);
    const first = socket.subscribe(direct);
    await socket.until(() => (socket.frameCounts.get(direct) ?? 0) > 0, 'subscribed');
    // Names of documents that do not exist: each either takes a place under the cap or is refused.
    const names = Array.from({ length: 10_000 }, (_, i) => convDocName(`nope${i}`));
    // Raw subscribes with an empty state vector: no replica on this side for documents that do not exist.
    for (const name of names) socket.sendFrame(encodeSubscribe(name, EMPTY_STATE_VECTOR));
    await socket.until(() => socket.closedCount >= names.length, 'every subscription answered', 20_000);
    const codes = names.map((name) => socket.closedDocs.get(name)?.[0]?.code);
    expect(codes.filter((code) => code === CloseCode.rateLimited).length).toBeGreaterThan(9_000);
    expect(codes.every((code) => code === CloseCode.rateLimited || code === CloseCode.forbidden)).toBe(true);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await bobWrites(bob, direct, first, 'after the flood');
  });

  it('refuses a document past the person cap with 4429 "too many connections"', async () => {
    const alice = await createUser(test.server, 'Alice');
    const friends: TestUser[] = [];
    for (let i = 0; i < PERSON_CAP; i++) friends.push(await createUser(test.server, `Friend ${i}`));
    const names: string[] = [];
    for (const friend of friends) names.push(convDocName(await directConversation(test.server, alice, friend)));
    const socket = await mux(alice);
    for (const name of names) socket.subscribe(name);
    const refused = names[PERSON_CAP - 1];
    // The socket itself holds one of the person's places.
    expect(await socket.whenDocClosed(refused)).toMatchObject({ code: CloseCode.rateLimited, reason: 'too many connections' });
    await socket.until(() => names.slice(0, PERSON_CAP - 2).every((name) => (socket.frameCounts.get(name) ?? 0) > 0), 'the others');
    // Unsubscribing gives the place back.
    socket.unsubscribe(names[0]);
    socket.closedDocs.delete(refused);
    socket.subscribe(refused);
    await socket.until(() => (socket.frameCounts.get(refused) ?? 0) > 1, 'subscribed after a place freed');
    expect(socket.closedDocs.has(refused)).toBe(false);
  });

  it('closes the socket with 4429 when it floods frames for documents it has not subscribed', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = await mux(alice);
    for (let i = 0; i < 2_000 && socket.ws.readyState === socket.ws.OPEN; i++) socket.sendDoc(userDocName(alice.id), bytes(0, 2, 0));
    expect((await socket.socketClosed).code).toBe(CloseCode.rateLimited);
  });

  it('rate-limits updates per subscription: that document gets 4429, the socket stays', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const direct = convDocName(await directConversation(test.server, alice, bob));
    const socket = await mux(alice);
    socket.subscribe(userDocName(alice.id));
    socket.subscribe(direct);
    await socket.until(() => (socket.frameCounts.get(direct) ?? 0) > 1, 'subscribed');
    // Empty updates: no quota, only the frame count. Past the burst of 200; the rest (frames crossing the refusal) stay under the socket's bound of stray frames.
    for (let i = 0; i < 300; i++) socket.sendDoc(direct, bytes(0, 2, 2, 0, 0));
    expect((await socket.whenDocClosed(direct)).code).toBe(CloseCode.rateLimited);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    expect(socket.closedDocs.has(userDocName(alice.id))).toBe(false);
  });

  it('replaces a subscription subscribed again, without a closed, and keeps one place under the caps', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const direct = convDocName(await directConversation(test.server, alice, bob));
    const socket = await mux(alice);
    const doc = socket.subscribe(direct);
    for (let i = 0; i < PERSON_CAP + 2; i++) socket.subscribe(direct, doc);
    await bobWrites(bob, direct, doc, 'after the subscribes');
    expect(socket.closedDocs.size).toBe(0);
  });
});

describe('the mux socket: cheap reconnects', () => {
  it('answers a subscribe from an up-to-date replica with a step 1 and an empty step 2 only', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const direct = convDocName(await directConversation(test.server, alice, bob));
    const first = await mux(alice);
    const doc = first.subscribe(direct);
    await bobWrites(bob, direct, doc, 'before the flap');
    first.close();
    const second = await mux(alice);
    second.subscribe(direct, doc);
    const syncFrames = () => second.frames.filter((frame) => frame.docName === direct && frame.message[0] === 0);
    await second.until(() => syncFrames().length >= 2, 'the answers');
    // The relay's step 1 (its state vector) and step 2 (what this replica lacks: nothing).
    const [step1, step2] = syncFrames();
    expect([step1.message[1], step2.message[1]]).toEqual([0, 1]);
    const total = step1.message.byteLength + step2.message.byteLength;
    expect(total).toBeLessThan(200);
  });
});
