/**
 * Presence over real HTTP and WebSockets (issue 15): a person's `user/<id>`
 * socket makes them online for their friends, its close makes them last seen;
 * and the privacy rules hold (presence-service.ts): a person who hides is
 * never named in anyone's answer and sees nobody's, a stranger and a removed
 * friend get nothing.
 */
import { describe, expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import type { PresenceAnswer } from '../../shared/presence-api.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

async function presenceOf(viewer: TestUser): Promise<PresenceAnswer> {
  const answer = await api<PresenceAnswer>(test.server, 'GET', '/api/presence', { cookie: viewer.cookie });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  return answer.body;
}

/** Resolves once the server has written that `userId` went online (or offline). */
function marked(userId: string, online: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = test.server.context.presence.lastSeen.onMarked((who, now) => {
      if (who !== userId || now !== online) return;
      stop();
      resolve();
    });
  });
}

/** Opens the person's own document as the app does while it runs; resolves once they are marked online. */
async function comeOnline(user: TestUser) {
  const online = marked(user.id, true);
  const client = test.open(user, userDocName(user.id));
  await whenSynced(client);
  await online;
  return client;
}

describe('presence', () => {
  it('shows a friend online while their app is connected, then when they were last seen', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    await befriend(test.server, ada, bob);
    expect(await presenceOf(ada)).toEqual({ lastSeen: 'friends', people: {} });

    const client = await comeOnline(bob);
    expect((await presenceOf(ada)).people).toEqual({ [bob.id]: { online: true } });

    const before = Date.now();
    const offline = marked(bob.id, false);
    client.destroy();
    await offline;
    const seen = (await presenceOf(ada)).people[bob.id];
    expect(seen).toMatchObject({ online: false });
    const lastSeenAt = seen && !seen.online ? seen.lastSeenAt : 0;
    expect(lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(lastSeenAt).toBeLessThanOrEqual(Date.now());
  });

  it('stays online while one of two devices is still connected', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    await befriend(test.server, ada, bob);
    const phone = await comeOnline(bob);
    const laptop = test.open(bob, userDocName(bob.id));
    await whenSynced(laptop);
    phone.destroy();
    // The laptop's socket is the room's last one: closing it is the next (and only) mark.
    const offline = marked(bob.id, false);
    expect((await presenceOf(ada)).people[bob.id]).toEqual({ online: true });
    laptop.destroy();
    await offline;
    expect((await presenceOf(ada)).people[bob.id]).toMatchObject({ online: false });
  });

  it('tells a stranger nothing, and a friend nothing once the friendship ends', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    const eve = await createUser(test.server, 'Eve');
    await befriend(test.server, ada, bob);
    await comeOnline(bob);
    await comeOnline(ada);
    expect(await presenceOf(eve)).toEqual({ lastSeen: 'friends', people: {} });
    expect(Object.keys((await presenceOf(ada)).people)).toEqual([bob.id]);

    const removed = await api(test.server, 'DELETE', `/api/friends/${bob.id}`, { cookie: ada.cookie });
    expect(removed.status).toBe(204);
    expect((await presenceOf(ada)).people).toEqual({});
    expect((await presenceOf(bob)).people).toEqual({});
  });

  it('never sends a hidden person’s presence to anyone, and shows them nobody’s either', async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    await befriend(test.server, ada, bob);
    const bobsClient = await comeOnline(bob);
    await comeOnline(ada);

    const hidden = await api(test.server, 'PUT', '/api/presence/settings', { cookie: bob.cookie, body: { lastSeen: 'nobody' } });
    expect(hidden.body).toEqual({ lastSeen: 'nobody' });
    // Not even his id leaves the server: the raw answer does not contain it.
    const raw = await fetch(`${test.server.url}/api/presence`, { headers: { cookie: ada.cookie } });
    expect(await raw.text()).not.toContain(bob.id);
    // As on WhatsApp: who hides theirs sees nobody's (Ada is online right now).
    expect(await presenceOf(bob)).toEqual({ lastSeen: 'nobody', people: {} });

    // Going offline while hidden still says nothing.
    const offline = marked(bob.id, false);
    bobsClient.destroy();
    await offline;
    expect((await presenceOf(ada)).people).toEqual({});

    await api(test.server, 'PUT', '/api/presence/settings', { cookie: bob.cookie, body: { lastSeen: 'friends' } });
    expect((await presenceOf(ada)).people[bob.id]).toMatchObject({ online: false });
    expect((await presenceOf(bob)).people).toEqual({ [ada.id]: { online: true } });
  });

  it('answers only a signed-in person, and takes only the two settings', async () => {
    const ada = await createUser(test.server, 'Ada');
    expect((await api(test.server, 'GET', '/api/presence')).status).toBe(401);
    expect((await api(test.server, 'PUT', '/api/presence/settings', { body: { lastSeen: 'nobody' } })).status).toBe(401);
    const wrong = await api(test.server, 'PUT', '/api/presence/settings', { cookie: ada.cookie, body: { lastSeen: 'everyone' } });
    expect(wrong.status).toBe(400);
    expect((await presenceOf(ada)).lastSeen).toBe('friends');
  });
});
