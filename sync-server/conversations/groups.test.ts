/** Groups through the real API: roles, membership changes that take effect at once, invite links. */
import { describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { conversationsOf, membersOf, messagesOf, metaOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import type { SyncedClient } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';
import { solidPng } from '../testing/images.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { loadConfig } from '../config.js';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

const test = useTestServer({
  groupMemberLimit: 4,
  groupsPerUserLimit: 3,
  rateLimits: { ...loadConfig({}).rateLimits, groupAdds: { limit: 6, windowMs: 3600_000 } },
});
const open = (user: TestUser, docName: string): SyncedClient => test.open(user, docName);

async function groupOf(owner: TestUser, members: TestUser[], title = 'Climbing 🧗'): Promise<string> {
  for (const member of members) await befriend(test.server, owner, member);
  return groupOfFriends(owner, members, title);
}

/** A group of people who are already the owner's friends. */
async function groupOfFriends(owner: TestUser, members: TestUser[], title = 'Climbing 🧗'): Promise<string> {
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title, memberIds: members.map((m) => m.id) },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const systemTexts = (client: SyncedClient) => [...messagesOf(client.doc).values()].filter((m) => m.kind === 'system').map((m) => m.text);

describe('creating groups', () => {
  it('takes only friends as initial members and writes names and roles into meta', async () => {
    const [ada, bob, eve] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Eve'),
    ];
    const refused = await api(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'x', memberIds: [eve.id] },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: 'not_friends' } });

    const id = await groupOf(ada, [bob]);
    const chat = open(bob, convDocName(id));
    await waitFor(chat.doc, () => Object.keys(membersOf(chat.doc)).length === 2 && systemTexts(chat).length > 0, 10_000, 'meta');
    expect(metaOf(chat.doc).get('title')).toBe('Climbing 🧗');
    expect(membersOf(chat.doc)[ada.id]).toMatchObject({ name: 'Ada', role: 'owner' });
    expect(membersOf(chat.doc)[bob.id]).toMatchObject({ name: 'Bob', role: 'member' });
    expect(systemTexts(chat)).toEqual(['Ada created the group "Climbing 🧗"']);
    const members = await api<Array<{ id: string; role: string }>>(test.server, 'GET', `/api/conversations/${id}/members`, {
      cookie: bob.cookie,
    });
    expect(members.body.map((m) => m.role)).toEqual(['owner', 'member']);
    expect((await api(test.server, 'GET', `/api/conversations/${id}/members`, { cookie: eve.cookie })).status).toBe(404);
  });

  it('enforces the member cap', async () => {
    const people = await Promise.all(['Ada', 'B', 'C', 'D', 'E'].map((name) => createUser(test.server, name)));
    const [ada, ...others] = people;
    for (const other of others) await befriend(test.server, ada, other);
    const tooMany = await api(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'big', memberIds: others.map((o) => o.id) },
    });
    expect(tooMany).toMatchObject({ status: 409, body: { error: 'member_limit' } });
  });
});

describe('roles', () => {
  it('lets nobody remove the owner, and admins only plain members', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const id = await groupOf(ada, [bob, cy]);
    const remove = (who: TestUser, target: TestUser) =>
      api(test.server, 'DELETE', `/api/conversations/${id}/members/${target.id}`, { cookie: who.cookie });
    expect((await remove(bob, ada)).body).toMatchObject({ error: 'cannot_remove_owner' });
    expect((await remove(bob, cy)).status).toBe(403);
    expect(
      (await api(test.server, 'PUT', `/api/conversations/${id}/members/${bob.id}/role`, { cookie: bob.cookie, body: { role: 'admin' } }))
        .status,
    ).toBe(403);
    expect(
      (await api(test.server, 'PUT', `/api/conversations/${id}/members/${bob.id}/role`, { cookie: ada.cookie, body: { role: 'admin' } }))
        .status,
    ).toBe(204);
    expect((await remove(bob, ada)).status).toBe(403);
    expect((await remove(bob, cy)).status).toBe(204);
    expect((await api(test.server, 'PATCH', `/api/conversations/${id}`, { cookie: cy.cookie, body: { title: 'hijacked' } })).status).toBe(
      404,
    );
  });

  it('keeps the owner until they hand over, then lets them leave', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, [bob]);
    expect((await api(test.server, 'POST', `/api/conversations/${id}/leave`, { cookie: ada.cookie })).body).toMatchObject({
      error: 'owner_cannot_leave',
    });
    expect(
      (await api(test.server, 'POST', `/api/conversations/${id}/transfer`, { cookie: bob.cookie, body: { userId: bob.id } })).status,
    ).toBe(403);
    expect(
      (await api(test.server, 'POST', `/api/conversations/${id}/transfer`, { cookie: ada.cookie, body: { userId: bob.id } })).status,
    ).toBe(204);
    expect((await api(test.server, 'POST', `/api/conversations/${id}/leave`, { cookie: ada.cookie })).status).toBe(204);
    const members = await api<Array<{ id: string; role: string }>>(test.server, 'GET', `/api/conversations/${id}/members`, {
      cookie: bob.cookie,
    });
    expect(members.body).toEqual([expect.objectContaining({ id: bob.id, role: 'owner' })]);
  });

  it('records renames as system messages', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, [bob]);
    expect(
      (
        await api(test.server, 'PATCH', `/api/conversations/${id}`, {
          cookie: ada.cookie,
          body: { title: 'Bouldering', notice: 'Tuesdays 7pm' },
        })
      ).status,
    ).toBe(204);
    const chat = open(bob, convDocName(id));
    await waitFor(chat.doc, () => metaOf(chat.doc).get('title') === 'Bouldering' && systemTexts(chat).length === 3, 10_000, 'rename');
    expect(metaOf(chat.doc).get('notice')).toBe('Tuesdays 7pm');
    expect(systemTexts(chat).slice(1).sort()).toEqual(['Ada renamed the group to "Bouldering"', 'Ada updated the notice']);
  });
});

describe('removal', () => {
  it("closes a removed member's socket at once and sends them nothing more", async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, [bob]);
    const bobsChat = open(bob, convDocName(id));
    await waitFor(bobsChat.doc, () => systemTexts(bobsChat).length === 1, 10_000, 'Bob synced');
    const bobsList = open(bob, userDocName(bob.id));
    await waitFor(bobsList.doc, () => conversationsOf(bobsList.doc).has(id), 10_000, "Bob's list");
    const socket = rawSocket(test.server, convDocName(id), { cookie: bob.cookie });
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = closeCodeOf(socket, 1000);

    expect((await api(test.server, 'DELETE', `/api/conversations/${id}/members/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);
    expect((await closed).code).toBe(CloseCode.forbidden);
    await waitFor(bobsList.doc, () => conversationsOf(bobsList.doc).get(id)?.ended === 'removed', 10_000, 'marked removed');

    const adasChat = open(ada, convDocName(id));
    const after = writeMessage(adasChat.doc, ada.id, 'after Bob left').id;
    await waitFor(adasChat.doc, () => systemTexts(adasChat).includes('Ada removed Bob'), 10_000, 'removal note');
    expect(messagesOf(bobsChat.doc).has(after)).toBe(false);
    expect((await closeCodeOf(rawSocket(test.server, convDocName(id), { cookie: bob.cookie }))).code).toBe(CloseCode.forbidden);
  });
});

describe('invite links', () => {
  it('let a stranger join, and stop working when expired, revoked or used up', async () => {
    const [ada, bob, cy, dee] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
      await createUser(test.server, 'Dee'),
    ];
    const id = await groupOf(ada, [bob]);
    const invite = await api<{ id: string; code: string; url: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
      body: { maxUses: 1 },
    });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toBe(`${test.server.url}/join/${invite.body.code}`);
    expect((await api(test.server, 'POST', `/api/conversations/${id}/invites`, { cookie: bob.cookie, body: {} })).status).toBe(403);

    expect((await api(test.server, 'GET', `/api/invites/${invite.body.code}`, { cookie: cy.cookie })).body).toMatchObject({
      conversationId: id,
      memberCount: 2,
    });
    expect((await api(test.server, 'POST', `/api/invites/${invite.body.code}/join`, { cookie: cy.cookie })).body).toEqual({
      conversationId: id,
    });
    expect((await api(test.server, 'POST', `/api/invites/${invite.body.code}/join`, { cookie: dee.cookie })).body).toMatchObject({
      error: 'invite_expired',
    });

    const expiring = await test.server.context.invites.create(await userRecord(ada), id, 1, 0);
    if (!expiring.ok || !expiring.value.code) throw new Error('invite not made');
    const record = await test.server.context.db.invites.get(expiring.value.id);
    if (!record) throw new Error('invite not stored');
    await test.server.context.db.invites.put(record.id, { ...record, expiresAt: Date.now() - 1 });
    expect((await api(test.server, 'POST', `/api/invites/${expiring.value.code}/join`, { cookie: dee.cookie })).status).toBe(410);

    const revoked = await api<{ id: string; code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
      body: {},
    });
    expect((await api(test.server, 'DELETE', `/api/conversations/${id}/invites/${revoked.body.id}`, { cookie: ada.cookie })).status).toBe(
      204,
    );
    expect((await api(test.server, 'POST', `/api/invites/${revoked.body.code}/join`, { cookie: dee.cookie })).body).toMatchObject({
      error: 'invite_invalid',
    });
    expect((await api(test.server, 'POST', '/api/invites/not-a-code/join', { cookie: dee.cookie })).status).toBe(404);
  });
});

describe('rejoining after a removal (issue 15)', () => {
  it('refuses a removed member the links made before the removal, and counts each use', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const id = await groupOf(ada, []);
    const old = await api<{ id: string; code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
      body: {},
    });
    expect((await api(test.server, 'POST', `/api/invites/${old.body.code}/join`, { cookie: bob.cookie })).status).toBe(200);
    expect((await api(test.server, 'DELETE', `/api/conversations/${id}/members/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);

    const again = await api(test.server, 'POST', `/api/invites/${old.body.code}/join`, { cookie: bob.cookie });
    expect(again).toMatchObject({ status: 403, body: { error: 'removed_from_group' } });
    expect(await test.server.context.conversationStore.isMember(id, bob.id)).toBe(false);
    // The link still works for others, and counts them.
    expect((await api(test.server, 'POST', `/api/invites/${old.body.code}/join`, { cookie: cy.cookie })).status).toBe(200);
    const live = await api<Array<{ id: string; uses: number }>>(test.server, 'GET', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
    });
    expect(live.body.find((invite) => invite.id === old.body.id)?.uses).toBe(2);

    // A link made after the removal is the admin's new decision.
    const fresh = await api<{ code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, { cookie: ada.cookie, body: {} });
    expect((await api(test.server, 'POST', `/api/invites/${fresh.body.code}/join`, { cookie: bob.cookie })).status).toBe(200);
  });

  it('lets someone who left of their own accord come back with the same link', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, []);
    const link = await api<{ code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, { cookie: ada.cookie, body: {} });
    expect((await api(test.server, 'POST', `/api/invites/${link.body.code}/join`, { cookie: bob.cookie })).status).toBe(200);
    expect((await api(test.server, 'POST', `/api/conversations/${id}/leave`, { cookie: bob.cookie })).status).toBeLessThan(300);
    expect((await api(test.server, 'POST', `/api/invites/${link.body.code}/join`, { cookie: bob.cookie })).status).toBe(200);
  });
});

describe('disbanding (issue 20)', () => {
  it("revokes the group's invites: an old link neither previews nor joins an ownerless group", async () => {
    const [ada, bob, mallory] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const id = await groupOf(ada, [bob]);
    const invite = await api<{ id: string; code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
      body: {},
    });
    expect(invite.status).toBe(201);
    expect((await api(test.server, 'DELETE', `/api/conversations/${id}`, { cookie: ada.cookie })).status).toBe(204);

    expect((await api(test.server, 'GET', `/api/invites/${invite.body.code}`, { cookie: mallory.cookie })).status).toBe(404);
    expect((await api(test.server, 'POST', `/api/invites/${invite.body.code}/join`, { cookie: mallory.cookie })).body).toMatchObject({
      error: 'invite_invalid',
    });
    expect(await test.server.context.conversationStore.isMember(id, mallory.id)).toBe(false);
    expect((await closeCodeOf(rawSocket(test.server, convDocName(id), { cookie: mallory.cookie }))).code).toBe(CloseCode.forbidden);
    expect((await test.server.context.db.invites.get(invite.body.id))?.revoked).toBe(true);
  });

  it('keeps a disbanded group closed to every later change', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, [bob]);
    expect((await api(test.server, 'DELETE', `/api/conversations/${id}`, { cookie: ada.cookie })).status).toBe(204);
    expect((await test.server.context.groups.admit(await userRecord(bob), id)).ok).toBe(false);
    expect(await test.server.context.conversationStore.members(id)).toEqual(new Map());
    expect((await test.server.context.conversationStore.byId(id))?.disbandedAt).toBeGreaterThan(0);
  });
});

describe('invite use counts (issue 20)', () => {
  it('lets exactly one of three parallel joins use a single-use invite', async () => {
    const ada = await createUser(test.server, 'Ada');
    const joiners = [await createUser(test.server, 'J1'), await createUser(test.server, 'J2'), await createUser(test.server, 'J3')];
    const id = await groupOf(ada, []);
    const invite = await api<{ id: string; code: string }>(test.server, 'POST', `/api/conversations/${id}/invites`, {
      cookie: ada.cookie,
      body: { maxUses: 1 },
    });
    const results = await Promise.all(
      joiners.map((j) => api(test.server, 'POST', `/api/invites/${invite.body.code}/join`, { cookie: j.cookie })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect((await test.server.context.conversationStore.members(id)).size).toBe(2);
    expect((await test.server.context.db.invites.get(invite.body.id))?.uses).toBe(1);
  });
});

describe('group pictures (issue 20)', () => {
  it("checks the permission before storing: a plain member's upload leaves no file", async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await groupOf(ada, [bob]);
    const png = solidPng(32, 32, [1, 2, 3]);
    const upload = await fetch(`${test.server.url}/api/conversations/${id}/avatar`, {
      method: 'POST',
      headers: { cookie: bob.cookie, origin: test.server.url, 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect(upload.status).toBe(403);
    const blobId = createHash('sha256').update(png).digest('hex');
    expect(existsSync(path.join(test.dataDir, 'blobs', blobId))).toBe(false);
    expect(await test.server.context.db.blobs.get(blobId)).toBeUndefined();
  });
});

describe('adding people to groups (issue 20)', () => {
  it('caps how many groups a person is in, whoever adds them and however', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    await befriend(test.server, ada, bob);
    for (let i = 0; i < 3; i++) await groupOfFriends(ada, [bob], `g${i}`);
    const fourth = await api(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'g3', memberIds: [bob.id] },
    });
    expect(fourth).toMatchObject({ status: 409, body: { error: 'group_limit' } });
    const cysGroup = await groupOf(cy, []);
    expect(
      (await api(test.server, 'POST', `/api/conversations/${cysGroup}/members`, { cookie: cy.cookie, body: { userIds: [bob.id] } })).status,
    ).toBe(403);
    await befriend(test.server, cy, bob);
    expect(
      (await api(test.server, 'POST', `/api/conversations/${cysGroup}/members`, { cookie: cy.cookie, body: { userIds: [bob.id] } })).body,
    ).toMatchObject({ error: 'group_limit' });
    const invite = await api<{ code: string }>(test.server, 'POST', `/api/conversations/${cysGroup}/invites`, {
      cookie: cy.cookie,
      body: {},
    });
    expect((await api(test.server, 'POST', `/api/invites/${invite.body.code}/join`, { cookie: bob.cookie })).body).toMatchObject({
      error: 'group_limit',
    });
    expect(await test.server.context.conversationStore.isMember(cysGroup, bob.id)).toBe(false);
  });

  it('never caps the robot, which any group may add', async () => {
    const people = [await createUser(test.server, 'A'), await createUser(test.server, 'B')];
    for (const person of people) {
      for (let i = 0; i < 2; i++) {
        const created = await api(test.server, 'POST', '/api/conversations', {
          cookie: person.cookie,
          body: { kind: 'group', title: `r${i}`, memberIds: [ROBOT_USER_ID] },
        });
        expect(created.status).toBe(201);
      }
    }
  });

  it('limits how many people one person adds to groups per hour', async () => {
    const ada = await createUser(test.server, 'Ada');
    const friends = await Promise.all(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'].map((name) => createUser(test.server, name)));
    for (const friend of friends) await befriend(test.server, ada, friend);
    const groups: string[] = [];
    for (let i = 0; i < 3; i++) groups.push(await groupOfFriends(ada, friends.slice(i * 2, i * 2 + 2), `g${i}`));
    const limited = await api(test.server, 'POST', `/api/conversations/${groups[0]}/members`, {
      cookie: ada.cookie,
      body: { userIds: [friends[6].id] },
    });
    expect(limited.status).toBe(429);
    expect(await test.server.context.conversationStore.isMember(groups[0], friends[6].id)).toBe(false);
  });
});

async function userRecord(user: TestUser) {
  const record = await test.server.context.users.byId(user.id);
  if (!record) throw new Error('no such user');
  return record;
}
