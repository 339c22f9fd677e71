/**
 * The relay over real WebSockets, with a real server on 127.0.0.1:0 and
 * LevelDB in a temp DATA_DIR.
 */
import { describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { orderedMessages } from '../../shared/message-order.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, metaOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import type { SyncedClient } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

async function startDirect(a: TestUser, b: TestUser): Promise<string> {
  return directConversation(test.server, a, b);
}

describe('relay authentication and membership', () => {
  it('closes a connection without a session cookie with 4401', async () => {
    const alice = await createUser(test.server, 'Alice');
    const id = await startDirect(alice, await createUser(test.server, 'Bob'));
    const { code } = await closeCodeOf(rawSocket(test.server, convDocName(id)));
    expect(code).toBe(CloseCode.unauthenticated);
  });

  it('closes a connection with a forged cookie with 4401', async () => {
    const { code } = await closeCodeOf(rawSocket(test.server, userDocName('someone'), { cookie: 'hc_session=forged' }));
    expect(code).toBe(CloseCode.unauthenticated);
  });

  it('refuses a non-member of a conversation with 4403', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const id = await startDirect(alice, bob);
    const { code } = await closeCodeOf(rawSocket(test.server, convDocName(id), { cookie: mallory.cookie }));
    expect(code).toBe(CloseCode.forbidden);
  });

  it("refuses another person's user document with 4403", async () => {
    const [alice, mallory] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Mallory')];
    const { code } = await closeCodeOf(rawSocket(test.server, userDocName(alice.id), { cookie: mallory.cookie }));
    expect(code).toBe(CloseCode.forbidden);
  });

  it('refuses an upgrade from another site (Origin) with 4403', async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = rawSocket(test.server, userDocName(alice.id), { cookie: alice.cookie, origin: 'https://evil.example' });
    expect((await closeCodeOf(socket)).code).toBe(CloseCode.forbidden);
  });

  it('refuses unknown document names with 4403', async () => {
    const alice = await createUser(test.server, 'Alice');
    const { code } = await closeCodeOf(rawSocket(test.server, 'secrets/all', { cookie: alice.cookie }));
    expect(code).toBe(CloseCode.forbidden);
  });
});

describe('relay sync', () => {
  it('syncs two members both ways and numbers every message', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await startDirect(alice, bob);
    const a = test.open(alice, convDocName(id));
    const b = test.open(bob, convDocName(id));
    const hello = writeMessage(a.doc, alice.id, 'Hello Bob 👋');
    await waitFor(b.doc, () => messagesOf(b.doc).has(hello.id), 10_000, 'Bob to receive Alice');
    const reply = writeMessage(b.doc, bob.id, '你好 Alice');
    await waitFor(a.doc, () => messagesOf(a.doc).has(reply.id), 10_000, 'Alice to receive Bob');
    await waitFor(a.doc, () => orderedMessages(a.doc).every((m) => m.state === 'delivered'), 10_000, 'sequence numbers');
    await waitFor(b.doc, () => orderedMessages(b.doc).every((m) => m.state === 'delivered'), 10_000, 'sequence numbers');
    const order = (client: SyncedClient) => orderedMessages(client.doc).map((m) => [m.seq, m.message.text]);
    expect(order(a)).toEqual([
      [1, 'Hello Bob 👋'],
      [2, '你好 Alice'],
    ]);
    expect(order(b)).toEqual(order(a));
    expect(metaOf(a.doc).get('kind')).toBe('direct');
    expect(Object.keys(metaOf(a.doc).get('members') as object).sort()).toEqual([alice.id, bob.id].sort());
  });

  it('keeps every message across a server restart', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await startDirect(alice, bob);
    const a = test.open(alice, convDocName(id));
    const sent = [writeMessage(a.doc, alice.id, 'one'), writeMessage(a.doc, alice.id, 'two'), writeMessage(a.doc, alice.id, 'three')];
    await waitFor(a.doc, () => orderedMessages(a.doc).filter((m) => m.state === 'delivered').length === 3, 10_000, 'delivery');
    test.closeClients();
    await test.restart();
    const b = test.open(bob, convDocName(id));
    await waitFor(b.doc, () => messagesOf(b.doc).size === 3, 10_000, 'history after restart');
    expect(orderedMessages(b.doc).map((m) => [m.seq, m.message.id])).toEqual(sent.map((m, i) => [i + 1, m.id]));
  });

  it("lists the conversation in both people's user documents", async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await startDirect(alice, bob);
    const again = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: bob.cookie,
      body: { kind: 'direct', email: alice.email },
    });
    expect(again.body.id).toBe(id);
    const bobsList = test.open(bob, userDocName(bob.id));
    await waitFor(bobsList.doc, () => bobsList.doc.getMap('conversations').has(id), 10_000, "Bob's list");
    expect(bobsList.doc.getMap('conversations').get(id)).toMatchObject({ id, kind: 'direct', title: 'Alice', peerId: alice.id });
  });
});

describe('relay robustness', () => {
  it('closes only the connection that sent a garbage frame', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await startDirect(alice, bob);
    const b = test.open(bob, convDocName(id));
    await waitFor(b.doc, () => metaOf(b.doc).has('members'), 10_000, 'Bob synced');

    const attacker = rawSocket(test.server, convDocName(id), { cookie: alice.cookie });
    await new Promise((resolve) => attacker.once('open', resolve));
    const closed = closeCodeOf(attacker);
    attacker.send(Uint8Array.from([0, 1, 200, 255, 255, 255, 255, 7, 3]));
    expect((await closed).code).toBe(CloseCode.invalidUpdate);

    const a = test.open(alice, convDocName(id));
    const after = writeMessage(a.doc, alice.id, 'still here');
    await waitFor(b.doc, () => messagesOf(b.doc).has(after.id), 10_000, 'sync after the attack');
    expect((await api(test.server, 'GET', '/api/health')).status).toBe(200);
  });

  it("closes a signed-out session's sockets with 4401 and refuses its cookie", async () => {
    const alice = await createUser(test.server, 'Alice');
    const socket = rawSocket(test.server, userDocName(alice.id), { cookie: alice.cookie });
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = closeCodeOf(socket);
    expect((await api(test.server, 'POST', '/api/auth/logout', { cookie: alice.cookie })).status).toBe(204);
    expect((await closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: alice.cookie })).status).toBe(401);
    const again = rawSocket(test.server, userDocName(alice.id), { cookie: alice.cookie });
    expect((await closeCodeOf(again)).code).toBe(CloseCode.unauthenticated);
  });
});
