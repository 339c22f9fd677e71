/** Names outlive membership (issue 15): a removed member's messages keep their author's name for everyone. */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { authorsOf, formerMembersOf, membersOf, messagesOf, metaOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();

async function groupOf(owner: TestUser, members: TestUser[]): Promise<string> {
  for (const member of members) await befriend(test.server, owner, member);
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title: 'Choir', memberIds: members.map((m) => m.id) },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

/**
 * In Ada's group with Bob and Cy, Bob writes a message that reaches Cy, then Ada removes Bob.
 * Resolves once the removal is answered; Cy's document is returned open for what follows.
 */
async function bobWritesThenIsRemoved(ada: TestUser, bob: TestUser, cy: TestUser) {
  const id = await groupOf(ada, [bob, cy]);
  const bobsChat = test.open(bob, convDocName(id));
  await waitFor(bobsChat.doc, () => bob.id in membersOf(bobsChat.doc), 10_000, 'Bob synced');
  const hello = writeMessage(bobsChat.doc, bob.id, 'hello from Bob');
  const cysChat = test.open(cy, convDocName(id));
  await waitFor(cysChat.doc, () => messagesOf(cysChat.doc).has(hello.id), 10_000, "Bob's message reached Cy");
  expect((await api(test.server, 'DELETE', `/api/conversations/${id}/members/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);
  return { id, hello, cysChat };
}

describe('former members', () => {
  it("keeps a removed member's name for their earlier messages", async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const { hello, cysChat } = await bobWritesThenIsRemoved(ada, bob, cy);
    await waitFor(cysChat.doc, () => !(bob.id in membersOf(cysChat.doc)), 10_000, 'Bob no longer a member');
    expect(formerMembersOf(cysChat.doc)[bob.id]).toMatchObject({ name: 'Bob' });
    expect(authorsOf(cysChat.doc)[hello.author]?.name).toBe('Bob');
  });

  it('names again the authors an older document had lost, at its next refresh', async () => {
    const [ada, bob, cy, dee] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
      await createUser(test.server, 'Dee'),
    ];
    await befriend(test.server, ada, dee);
    const { id, cysChat } = await bobWritesThenIsRemoved(ada, bob, cy);
    await waitFor(cysChat.doc, () => bob.id in formerMembersOf(cysChat.doc), 10_000, 'Bob a former member');
    // A document from before formerMembers: the name is gone.
    await test.server.context.registry.change(convDocName(id), (doc) => metaOf(doc).delete('formerMembers'));
    await waitFor(cysChat.doc, () => !(bob.id in authorsOf(cysChat.doc)), 10_000, 'name lost');

    expect(
      (await api(test.server, 'POST', `/api/conversations/${id}/members`, { cookie: ada.cookie, body: { userIds: [dee.id] } })).status,
    ).toBeLessThan(300);
    await waitFor(cysChat.doc, () => authorsOf(cysChat.doc)[bob.id]?.name === 'Bob', 10_000, 'Bob named again');
  });
});
