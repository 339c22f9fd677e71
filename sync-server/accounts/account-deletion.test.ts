/**
 * Deleting an account (issue 15) over a real server: the password is asked
 * again; then every session ends (sockets close 4401), groups pass on or are
 * disbanded, friendships end with the direct conversation kept by the friend,
 * read-only, sites go, the name is erased from every conversation's member
 * data (messages stay, under "Deleted account"), and the email is free again.
 */
import { describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { authorsOf, conversationsOf, formerMembersOf, friendsOf, membersOf, messagesOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { directConversationId } from '../conversations/conversation-service.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();

async function group(owner: TestUser, title: string, members: TestUser[]): Promise<string> {
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title, memberIds: members.map((member) => member.id) },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('deleting an account (issue 15)', () => {
  it('needs the current password; a wrong one changes nothing', async () => {
    const ada = await createUser(test.server, 'Ada');
    const refused = await api(test.server, 'POST', '/api/account/delete', { cookie: ada.cookie, body: { currentPassword: 'not mine' } });
    expect(refused.status).toBe(403);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(200);
    expect((await api(test.server, 'POST', '/api/account/delete', { body: { currentPassword: ada.password } })).status).toBe(401);
  });

  it('ends sessions, passes groups on, keeps messages under an erased name, and frees the email', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const taken = await api(test.server, 'POST', '/api/auth/register', {
      body: { name: 'Other', email: ada.email, password: 'Kite-harbour 47 lanterns' },
    });
    expect(taken.status).toBe(409);
    await befriend(test.server, ada, bob);
    await befriend(test.server, ada, cy);
    const choir = await group(ada, 'Choir', [bob, cy]);
    const alone = await group(ada, 'Notes to self', []);
    expect(
      (await api(test.server, 'PUT', `/api/conversations/${choir}/members/${cy.id}/role`, { cookie: ada.cookie, body: { role: 'admin' } }))
        .status,
    ).toBeLessThan(300);
    const site = await api(test.server, 'POST', '/api/sites', {
      cookie: ada.cookie,
      body: { name: 'Shop', origins: ['https://shop.example'] },
    });
    expect(site.status).toBe(201);

    // Ada says something in the group and to Bob; Bob sees both.
    const adaInChoir = test.open(ada, convDocName(choir));
    await waitFor(adaInChoir.doc, () => ada.id in membersOf(adaInChoir.doc), 10_000, 'Ada synced the group');
    const inChoir = writeMessage(adaInChoir.doc, ada.id, 'see you at rehearsal');
    const direct = directConversationId(ada.id, bob.id);
    const adaToBob = test.open(ada, convDocName(direct));
    await waitFor(adaToBob.doc, () => ada.id in membersOf(adaToBob.doc), 10_000, 'Ada synced the chat with Bob');
    const toBob = writeMessage(adaToBob.doc, ada.id, 'bye Bob');
    const bobInChoir = test.open(bob, convDocName(choir));
    await waitFor(bobInChoir.doc, () => messagesOf(bobInChoir.doc).has(inChoir.id), 10_000, "Ada's group message reached Bob");
    const bobToAda = test.open(bob, convDocName(direct));
    await waitFor(bobToAda.doc, () => messagesOf(bobToAda.doc).has(toBob.id), 10_000, "Ada's message reached Bob");

    const adasSocket = rawSocket(test.server, userDocName(ada.id), { cookie: ada.cookie });
    await new Promise((resolve) => adasSocket.once('open', resolve));
    const closed = closeCodeOf(adasSocket);

    const deleted = await api(test.server, 'POST', '/api/account/delete', { cookie: ada.cookie, body: { currentPassword: ada.password } });
    expect(deleted.status).toBe(204);
    expect((await closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(401);
    expect((await api(test.server, 'POST', '/api/auth/login', { body: { email: ada.email, password: ada.password } })).status).toBe(401);

    // The group passed to its admin; the group only Ada was in is disbanded; Ada's name is gone from the member data.
    await waitFor(bobInChoir.doc, () => !(ada.id in membersOf(bobInChoir.doc)), 10_000, 'Ada left the group');
    expect(membersOf(bobInChoir.doc)[cy.id]?.role).toBe('owner');
    await waitFor(bobInChoir.doc, () => formerMembersOf(bobInChoir.doc)[ada.id]?.deleted === true, 10_000, 'name erased');
    expect(authorsOf(bobInChoir.doc)[ada.id]).toEqual({ name: '', role: 'member', deleted: true });
    expect(messagesOf(bobInChoir.doc).get(inChoir.id)?.text).toBe('see you at rehearsal');
    const events = [...messagesOf(bobInChoir.doc).values()].map((message) => message.event).filter(Boolean);
    expect(events).toContainEqual({ type: 'account-deleted', actor: '', newOwner: 'Cy' });
    expect((await test.server.context.conversationStore.byId(alone))?.disbandedAt).toBeDefined();

    // Bob keeps the chat with Ada, ended and read-only; Ada is no longer his friend.
    const bobsOwn = test.open(bob, userDocName(bob.id));
    await waitFor(bobsOwn.doc, () => conversationsOf(bobsOwn.doc).get(direct)?.ended === 'account-deleted', 10_000, "Bob's chat ended");
    expect(friendsOf(bobsOwn.doc).has(ada.id)).toBe(false);
    expect(messagesOf(bobToAda.doc).get(toBob.id)?.text).toBe('bye Bob');
    expect(await test.server.context.conversationStore.isMember(direct, bob.id)).toBe(false);

    // The site is gone; the account is a tombstone; the address can sign up again.
    expect((await api(test.server, 'GET', '/api/sites', { cookie: cy.cookie })).status).toBe(200);
    expect(await test.server.context.widget.sites.byKey((site.body as { key: string }).key)).toBeUndefined();
    const tombstone = await test.server.context.users.byId(ada.id);
    expect(tombstone).toMatchObject({ name: '', passwordHash: '', activated: false });
    expect(tombstone?.deletedAt).toBeTypeOf('number');
    expect(tombstone?.email).not.toBe(ada.email);
    const register = () =>
      api(test.server, 'POST', '/api/auth/register', {
        body: { name: 'Ada again', email: ada.email, password: 'Kite-harbour 47 lanterns' },
      });
    expect((await register()).status).toBe(201);
  });
});
