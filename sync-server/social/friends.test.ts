/** Friends, remarks and blocks through the real API, with live user documents. */
import { describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { conversationsOf, friendsOf, messagesOf, requestsOf } from '../../shared/schema.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

const request = (from: TestUser, body: object) =>
  api<{ id: string; accepted: boolean }>(test.server, 'POST', '/api/friends/requests', { cookie: from.cookie, body });

describe('friend requests', () => {
  it('reaches the recipient live, and accepting makes both friends with a direct conversation', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const bobsDoc = test.open(bob, userDocName(bob.id));
    await waitFor(bobsDoc.doc, () => bobsDoc.doc.getMap('profile').has('name'), 10_000, 'Bob synced');

    const sent = await request(ada, { email: bob.email, note: 'from the conference' });
    expect(sent.status).toBe(201);
    await waitFor(bobsDoc.doc, () => requestsOf(bobsDoc.doc).has(sent.body.id), 10_000, 'the request');
    expect(requestsOf(bobsDoc.doc).get(sent.body.id)).toMatchObject({
      direction: 'incoming',
      note: 'from the conference',
      person: { id: ada.id, name: 'Ada' },
    });
    expect(JSON.stringify(requestsOf(bobsDoc.doc).toJSON())).not.toContain(ada.email);

    const accepted = await api<{ conversationId: string }>(test.server, 'POST', `/api/friends/requests/${sent.body.id}/accept`, {
      cookie: bob.cookie,
    });
    expect(accepted.status).toBe(200);
    await waitFor(
      bobsDoc.doc,
      () => friendsOf(bobsDoc.doc).has(ada.id) && !requestsOf(bobsDoc.doc).has(sent.body.id),
      10_000,
      'friendship',
    );
    expect(conversationsOf(bobsDoc.doc).get(accepted.body.conversationId)).toMatchObject({ kind: 'direct', title: 'Ada' });
    const friends = await api<Array<{ id: string }>>(test.server, 'GET', '/api/friends', { cookie: ada.cookie });
    expect(friends.body.map((f) => f.id)).toEqual([bob.id]);
  });

  it('gives no one-to-one chat without an accepted request', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const start = () => api(test.server, 'POST', '/api/conversations', { cookie: ada.cookie, body: { kind: 'direct', email: bob.email } });
    expect(await start()).toMatchObject({ status: 403, body: { error: 'not_friends' } });
    await request(ada, { email: bob.email });
    expect((await start()).status).toBe(403);
  });

  it('lets only the recipient accept', async () => {
    const [ada, bob, eve] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Eve'),
    ];
    const sent = await request(ada, { email: bob.email });
    for (const who of [ada, eve]) {
      expect((await api(test.server, 'POST', `/api/friends/requests/${sent.body.id}/accept`, { cookie: who.cookie })).status).toBe(404);
    }
    expect(await api(test.server, 'GET', '/api/friends', { cookie: ada.cookie })).toMatchObject({ body: [] });
  });

  it('refuses duplicates, oneself, and turns a request back into a yes', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    expect((await request(ada, { email: ada.email })).body).toMatchObject({ error: 'cannot_befriend_self' });
    expect((await request(ada, { email: bob.email })).status).toBe(201);
    expect((await request(ada, { email: bob.email })).body).toMatchObject({ error: 'request_pending' });
    const back = await request(bob, { userId: ada.id });
    expect(back.body.accepted).toBe(true);
    expect((await request(ada, { email: bob.email })).body).toMatchObject({ error: 'already_friends' });
  });
});

describe('remarks', () => {
  it('are visible to their author only', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    await befriend(test.server, ada, bob);
    expect(
      (await api(test.server, 'PUT', `/api/friends/${bob.id}/remark`, { cookie: ada.cookie, body: { remark: 'Bob from climbing 🧗' } }))
        .status,
    ).toBe(204);
    const adasDoc = test.open(ada, userDocName(ada.id));
    const bobsDoc = test.open(bob, userDocName(bob.id));
    await waitFor(adasDoc.doc, () => friendsOf(adasDoc.doc).get(bob.id)?.remark === 'Bob from climbing 🧗', 10_000, 'the remark');
    await waitFor(bobsDoc.doc, () => friendsOf(bobsDoc.doc).has(ada.id), 10_000, "Bob's friends");
    expect(JSON.stringify(bobsDoc.doc.toJSON())).not.toContain('climbing');
    expect(
      await api(test.server, 'PUT', `/api/friends/${ada.id}/remark`, {
        cookie: (await createUser(test.server, 'Eve')).cookie,
        body: { remark: 'x' },
      }),
    ).toMatchObject({
      status: 404,
      body: { error: 'friend_not_found' },
    });
  });
});

describe('deleting a friend', () => {
  it('closes the direct conversation for both, and befriending again restores it with its history', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ada, bob);
    const chat = test.open(ada, convDocName(id));
    messagesOf(chat.doc).set('000000001-aaaaaaaaaaaa', {
      id: '000000001-aaaaaaaaaaaa',
      author: ada.id,
      kind: 'text',
      text: 'remember me',
      createdAt: Date.now(),
    });
    const bobsSocket = rawSocket(test.server, convDocName(id), { cookie: bob.cookie });
    await new Promise((resolve) => bobsSocket.once('open', resolve));
    const closed = closeCodeOf(bobsSocket);

    expect((await api(test.server, 'DELETE', `/api/friends/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);
    expect((await closed).code).toBe(CloseCode.forbidden);
    const bobsList = test.open(bob, userDocName(bob.id));
    await waitFor(bobsList.doc, () => bobsList.doc.getMap('profile').has('id'), 10_000, "Bob's list");
    expect(conversationsOf(bobsList.doc).has(id)).toBe(false);
    expect((await closeCodeOf(rawSocket(test.server, convDocName(id), { cookie: bob.cookie }))).code).toBe(CloseCode.forbidden);

    expect(await directConversation(test.server, bob, ada)).toBe(id);
    const again = test.open(bob, convDocName(id));
    await waitFor(again.doc, () => messagesOf(again.doc).has('000000001-aaaaaaaaaaaa'), 10_000, 'the old history');
  });
});

describe('blocking', () => {
  it('stops requests both ways and hides the blocker from search', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada Lovelace'), await createUser(test.server, 'Bob')];
    expect((await api(test.server, 'POST', '/api/blocks', { cookie: ada.cookie, body: { userId: bob.id } })).status).toBe(204);
    expect((await request(bob, { email: ada.email })).body).toMatchObject({ error: 'blocked' });
    expect((await request(ada, { email: bob.email })).body).toMatchObject({ error: 'blocked' });
    expect((await api(test.server, 'GET', '/api/users/search?q=Ada', { cookie: bob.cookie })).body).toEqual([]);
    await api(test.server, 'DELETE', `/api/blocks/${bob.id}`, { cookie: ada.cookie });
    expect((await request(bob, { email: ada.email })).status).toBe(201);
  });

  it('ends an existing friendship', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    await befriend(test.server, ada, bob);
    await api(test.server, 'POST', '/api/blocks', { cookie: bob.cookie, body: { userId: ada.id } });
    expect((await api(test.server, 'GET', '/api/friends', { cookie: ada.cookie })).body).toEqual([]);
    expect((await api(test.server, 'GET', '/api/blocks', { cookie: bob.cookie })).body).toEqual([{ id: ada.id, name: 'Ada' }]);
  });
});

describe('search', () => {
  it('finds activated people by name prefix or exact email, never showing emails', async () => {
    const [ada, grace] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Grace Hopper')];
    await api(test.server, 'POST', '/api/auth/register', {
      body: { name: 'Grace Inactive', email: 'gi@example.com', password: 'not activated yet' },
    });
    const byName = await api<Array<Record<string, unknown>>>(test.server, 'GET', '/api/users/search?q=grace', { cookie: ada.cookie });
    expect(byName.body).toEqual([{ id: grace.id, name: 'Grace Hopper' }]);
    const byEmail = await api<Array<{ id: string }>>(test.server, 'GET', `/api/users/search?q=${encodeURIComponent(grace.email)}`, {
      cookie: ada.cookie,
    });
    expect(byEmail.body.map((p) => p.id)).toEqual([grace.id]);
    expect(JSON.stringify(byEmail.body)).not.toContain('@');
    expect((await api(test.server, 'GET', '/api/users/search?q=gr')).status).toBe(401);
  });
});
