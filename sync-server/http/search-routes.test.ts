/**
 * `GET /api/search` over a real server: who finds what. The attack tests
 * come first (written before the defence): a stranger, a removed member and
 * someone who left never get a message of a conversation they cannot read now.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import type { SearchResponse } from '../../shared/search-api.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import type { SyncedClient } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();

async function search(user: TestUser, q: string, conversation?: string) {
  const params = new URLSearchParams({ q });
  if (conversation) params.set('conversation', conversation);
  return api<SearchResponse>(test.server, 'GET', `/api/search?${params}`, { cookie: user.cookie });
}

const texts = (response: { body: SearchResponse }) => response.body.hits.map((hit) => hit.text);

/** Writes a message and waits until it is stored and numbered, then until the server's index has it. */
async function send(client: SyncedClient, author: TestUser, text: string): Promise<Message> {
  const message = writeMessage(client.doc, author.id, text);
  await waitFor(client.doc, () => seqIndexOf(client.doc).has(message.id), 10_000, 'message stored');
  await test.server.context.search.idle();
  return message;
}

/** Changes a message and waits until the server stored the change and its index followed. */
async function change(client: SyncedClient, message: Message): Promise<void> {
  const indexed = test.server.context.search.whenIndexed(message.id);
  messagesOf(client.doc).set(message.id, message);
  await indexed;
}

async function groupOf(owner: TestUser, members: TestUser[]): Promise<string> {
  for (const member of members) await befriend(test.server, owner, member);
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title: 'Hikers', memberIds: members.map((m) => m.id) },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('who finds what (attacks first)', () => {
  it('never gives a stranger a message of a conversation they are not in', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const id = await directConversation(test.server, alice, bob);
    const chat = test.open(alice, convDocName(id));
    await send(chat, alice, 'secret plans for 这个周末去爬山');

    expect(texts(await search(bob, 'secret'))).toEqual(['secret plans for 这个周末去爬山']);
    expect(texts(await search(bob, '周末'))).toHaveLength(1);
    // Mallory has conversations of her own (the robot's welcome): none of their hits may come from Alice and Bob's.
    for (const q of ['secret', 'plans', '周末', 's', '爬', 'p']) {
      const hits = (await search(mallory, q)).body.hits;
      expect(hits.filter((hit) => hit.conversationId === id)).toEqual([]);
      expect(hits.some((hit) => hit.text.includes('secret'))).toBe(false);
    }
    // Naming the conversation does not open it either.
    const named = await search(mallory, 'secret', id);
    expect(named.status).toBe(200);
    expect(texts(named)).toEqual([]);
    // And without a session there is no search at all.
    expect((await api(test.server, 'GET', '/api/search?q=secret')).status).toBe(401);
  });

  it('gives a removed member and one who left nothing of the group any more', async () => {
    const [owner, carol, dave] = [
      await createUser(test.server, 'Owner'),
      await createUser(test.server, 'Carol'),
      await createUser(test.server, 'Dave'),
    ];
    const id = await groupOf(owner, [carol, dave]);
    const chat = test.open(owner, convDocName(id));
    await send(chat, owner, 'meet at the trailhead');
    expect(texts(await search(carol, 'trailhead'))).toHaveLength(1);
    expect(texts(await search(dave, 'trailhead'))).toHaveLength(1);

    expect(
      (await api(test.server, 'DELETE', `/api/conversations/${id}/members/${carol.id}`, { cookie: owner.cookie })).status,
    ).toBeLessThan(300);
    expect((await api(test.server, 'POST', `/api/conversations/${id}/leave`, { cookie: dave.cookie })).status).toBeLessThan(300);
    await send(chat, owner, 'new trailhead after they went');
    expect(texts(await search(carol, 'trailhead'))).toEqual([]);
    expect(texts(await search(dave, 'trailhead'))).toEqual([]);
    expect(texts(await search(owner, 'trailhead'))).toEqual(['new trailhead after they went', 'meet at the trailhead']);
  });
});

describe('what a member finds', () => {
  it('follows edits and never finds a deleted message', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, alice, bob);
    const chat = test.open(alice, convDocName(id));
    const message = await send(chat, alice, 'lunch on Tuesday');
    expect(texts(await search(bob, 'tues'))).toEqual(['lunch on Tuesday']);

    await change(chat, { ...message, text: 'dinner on Friday', editedAt: message.createdAt + 1 });
    expect(texts(await search(bob, 'tues'))).toEqual([]);
    expect(texts(await search(bob, 'dinner fri'))).toEqual(['dinner on Friday']);

    await change(chat, { id: message.id, author: message.author, kind: 'text', text: '', createdAt: message.createdAt, deleted: true });
    expect(texts(await search(bob, 'dinner'))).toEqual([]);
    expect(texts(await search(alice, 'friday'))).toEqual([]);
  });

  it('searches one conversation when asked, newest first, with what a hit needs to open it', async () => {
    const [alice, bob, carol] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Carol'),
    ];
    const withBob = await directConversation(test.server, alice, bob);
    const withCarol = await directConversation(test.server, alice, carol);
    const bobChat = test.open(alice, convDocName(withBob));
    const carolChat = test.open(alice, convDocName(withCarol));
    const first = await send(bobChat, alice, 'coffee at nine');
    await send(carolChat, alice, 'coffee at ten');
    const all = await search(alice, 'coffee');
    expect(texts(all)).toEqual(['coffee at ten', 'coffee at nine']);
    const one = await search(alice, 'coffee', withBob);
    expect(one.body.hits).toEqual([
      {
        conversationId: withBob,
        messageId: first.id,
        author: alice.id,
        text: 'coffee at nine',
        createdAt: first.createdAt,
        seq: expect.any(Number),
      },
    ]);
    expect((await search(alice, '')).body.hits).toEqual([]);
  });
});
