/** The widget's server side: sites, visitor sessions, tickets, identity, blocking, framing. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { conversationsOf, messagesOf, metaOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { SiteView, WidgetSession } from '../../shared/widget.js';
import { api } from '../testing/api-call.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { whenSynced, type SyncedClient } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { solidPng } from '../testing/images.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';
import { identityHash, legacyIdentityHash } from './identity-hash.js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

const HOST = 'https://shop.example';
const cleanups: Array<() => void> = [];

/** A stand-in for the built client: the server serves the frame's page and the loader from it. */
const test = useTestServer(async (dataDir) => {
  const clientDir = path.join(dataDir, 'client');
  await mkdir(clientDir, { recursive: true });
  await writeFile(path.join(clientDir, 'embed.html'), '<!doctype html><title>embed</title>');
  await writeFile(path.join(clientDir, 'widget.js'), 'export {};');
  return { clientDir };
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function siteOf(owner: TestUser, origins = [HOST]): Promise<SiteView> {
  const created = await api<SiteView>(test.server, 'POST', '/api/sites', { cookie: owner.cookie, body: { name: 'Shop', origins } });
  expect(created.status).toBe(201);
  return created.body;
}

/** What our iframe does: Origin is the chat's own; the host origin comes from postMessage. */
function session(site: string, hostOrigin = HOST, token?: string) {
  return fetch(`${test.server.url}/api/widget/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: test.server.url, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ site, hostOrigin }),
  });
}

/** The visitor's `identify` call, as the widget sends it. */
function identify(visitor: WidgetSession, body: object): Promise<Response> {
  return fetch(`${test.server.url}/api/widget/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.token}`, origin: test.server.url },
    body: JSON.stringify(body),
  });
}

/** The title the owner's conversation list shows for the visitor's conversation. */
async function titleForOwner(owner: TestUser, visitor: WidgetSession): Promise<string | undefined> {
  const list = await api<Array<{ id: string; title: string }>>(test.server, 'GET', '/api/conversations', { cookie: owner.cookie });
  return list.body.find((c) => c.id === visitor.conversationId)?.title;
}

/** A new owner's site with a visitor whose chat socket is open; `closed` settles when the relay closes it. */
async function visitorInOpenChat(): Promise<{
  owner: TestUser;
  site: SiteView;
  visitor: WidgetSession;
  closed: ReturnType<typeof closeCodeOf>;
}> {
  const owner = await createUser(test.server, 'Owner');
  const site = await siteOf(owner);
  const visitor = (await (await session(site.key)).json()) as WidgetSession;
  const socket = rawSocket(test.server, `${convDocName(visitor.conversationId)}?ticket=${await ticketFor(visitor.token)}`);
  await new Promise((resolve) => socket.once('open', resolve));
  return { owner, site, visitor, closed: closeCodeOf(socket) };
}

async function ticketFor(token: string): Promise<string> {
  const response = await fetch(`${test.server.url}/api/widget/ticket`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, origin: test.server.url },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { ticket: string }).ticket;
}

function visitorDoc(visitor: WidgetSession, ticket: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${test.server.url.replace(/^http/, 'ws')}/sync`, convDocName(visitor.conversationId), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { ticket },
    disableBc: true,
    // One ticket, one connection: the widget's data layer fetches a new one to reconnect.
    shouldReconnect: () => false,
  } as ConstructorParameters<typeof WebsocketProvider>[3]);
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider };
}

describe('sites', () => {
  it('are managed by their owner only, with a secret shown once', async () => {
    const [owner, eve] = [await createUser(test.server, 'Owner'), await createUser(test.server, 'Eve')];
    const site = await siteOf(owner);
    expect(site.key).toMatch(/^s[a-z2-7]+$/);
    expect(site.secret).toBeTruthy();
    const listed = await api<SiteView[]>(test.server, 'GET', '/api/sites', { cookie: owner.cookie });
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).not.toHaveProperty('secret');
    expect((await api(test.server, 'PATCH', `/api/sites/${site.key}`, { cookie: eve.cookie, body: { name: 'Mine now' } })).status).toBe(
      404,
    );
    expect(
      (await api(test.server, 'POST', '/api/sites', { cookie: owner.cookie, body: { name: 'x', origins: ['javascript:alert(1)'] } }))
        .status,
    ).toBe(400);
  });

  it('share their look only with their own origins', async () => {
    const site = await siteOf(await createUser(test.server, 'Owner'));
    const allowed = await fetch(`${test.server.url}/api/widget/config?site=${site.key}`, { headers: { origin: HOST } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(HOST);
    expect(await allowed.json()).toEqual({
      key: site.key,
      name: 'Shop',
      greeting: 'Hi! How can we help?',
      color: '#2f6fde',
      position: 'right',
    });
    const other = await fetch(`${test.server.url}/api/widget/config?site=${site.key}`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('framing', () => {
  it('lets only the site origins frame /embed, and nobody frame anything else', async () => {
    const site = await siteOf(await createUser(test.server, 'Owner'), [HOST, 'http://localhost:3000']);
    const embed = await fetch(`${test.server.url}/embed?site=${site.key}`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain(`frame-ancestors ${HOST} http://localhost:3000`);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(`${test.server.url}/embed?site=snotasiteatallnotasite`)).status).toBe(404);
    const app = await fetch(`${test.server.url}/api/health`);
    expect(app.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(app.headers.get('x-frame-options')).toBe('DENY');
    const loader = await fetch(`${test.server.url}/widget.js`);
    expect(loader.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('visitor sessions', () => {
  it('are refused to origins not on the list and to other pages', async () => {
    const site = await siteOf(await createUser(test.server, 'Owner'));
    expect((await session(site.key, 'https://evil.example')).status).toBe(403);
    const foreign = await fetch(`${test.server.url}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: HOST },
      body: JSON.stringify({ site: site.key, hostOrigin: HOST }),
    });
    expect(foreign.status).toBe(403);
  });

  it('give a visitor one conversation with the owner, synced over a single-use ticket', async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = await siteOf(owner);
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    expect(visitor.guest.name).toMatch(/^Visitor \d{4}$/);
    const resumed = (await (await session(site.key, HOST, visitor.token)).json()) as WidgetSession;
    expect(resumed.guest.id).toBe(visitor.guest.id);

    const ticket = await ticketFor(visitor.token);
    const { doc } = visitorDoc(visitor, ticket);
    // Opening the bubble lists nothing for the owner (issue 15): the visitor's synced document has the server's meta, the owner's list no entry.
    const ownersList = test.open(owner, userDocName(owner.id));
    await waitFor(doc, () => metaOf(doc).get('kind') === 'widget', 10_000, "the visitor's document");
    await whenSynced(ownersList);
    expect(conversationsOf(ownersList.doc).has(visitor.conversationId)).toBe(false);

    const hello = writeMessage(doc, visitor.guest.id, 'Do you ship to Lyon?');
    await waitFor(ownersList.doc, () => conversationsOf(ownersList.doc).has(visitor.conversationId), 10_000, "the owner's list");
    expect(conversationsOf(ownersList.doc).get(visitor.conversationId)).toMatchObject({
      kind: 'widget',
      title: `${visitor.guest.name} · Shop`,
    });
    const ownerChat: SyncedClient = test.open(owner, convDocName(visitor.conversationId));
    await waitFor(ownerChat.doc, () => messagesOf(ownerChat.doc).has(hello.id), 10_000, 'the visitor message');

    // The same ticket does not open a second socket.
    expect((await closeCodeOf(rawSocket(test.server, `${convDocName(visitor.conversationId)}?ticket=${ticket}`))).code).toBe(
      CloseCode.unauthenticated,
    );
  });

  it('open one socket for one ticket, even when three race for it (issue 20)', async () => {
    const site = await siteOf(await createUser(test.server, 'Owner'));
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const ticket = await ticketFor(visitor.token);
    const sockets = [1, 2, 3].map(() => rawSocket(test.server, `${convDocName(visitor.conversationId)}?ticket=${ticket}`));
    cleanups.push(() => sockets.forEach((socket) => socket.close()));
    // The relay greets an accepted socket with a sync message; a refused one is closed first.
    const outcomes = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<string>((resolve) => {
            socket.once('message', () => resolve('synced'));
            socket.once('close', (code) => resolve(`closed ${code}`));
          }),
      ),
    );
    expect(outcomes.sort()).toEqual([`closed ${CloseCode.unauthenticated}`, `closed ${CloseCode.unauthenticated}`, 'synced']);
  });

  it("keep a visitor out of other visitors' conversations and other sites", async () => {
    const owner = await createUser(test.server, 'Owner');
    const [siteA, siteB] = [await siteOf(owner), await siteOf(owner, ['https://blog.example'])];
    const first = (await (await session(siteA.key)).json()) as WidgetSession;
    const second = (await (await session(siteA.key)).json()) as WidgetSession;
    const ticket = await ticketFor(first.token);
    expect((await closeCodeOf(rawSocket(test.server, `${convDocName(second.conversationId)}?ticket=${ticket}`))).code).toBe(
      CloseCode.forbidden,
    );
    const elsewhere = (await (await session(siteB.key, 'https://blog.example', first.token)).json()) as WidgetSession;
    expect(elsewhere.guest.id).not.toBe(first.guest.id);
    // Visitors have no cookie session: the app API stays closed to them.
    expect((await fetch(`${test.server.url}/api/conversations`, { headers: { authorization: `Bearer ${first.token}` } })).status).toBe(401);
  });
});

describe('the partitioned visitor cookie', () => {
  it('resumes a visitor whose frame may not store anything, until the host resets', async () => {
    const site = await siteOf(await createUser(test.server, 'Owner'));
    const first = await session(site.key);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hc_visitor=[a-z2-7]+;/);
    for (const attribute of [/HttpOnly/i, /Secure/i, /SameSite=None/i, /Partitioned/i, /Path=\/api\/widget/])
      expect(cookie).toMatch(attribute);
    const visitor = (await first.json()) as WidgetSession;
    const again = async (fresh: boolean) =>
      (await (
        await fetch(`${test.server.url}/api/widget/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: test.server.url, cookie: cookie.split(';')[0] },
          body: JSON.stringify({ site: site.key, hostOrigin: HOST, ...(fresh ? { fresh } : {}) }),
        })
      ).json()) as WidgetSession;
    expect((await again(false)).guest.id).toBe(visitor.guest.id);
    expect((await again(true)).guest.id).not.toBe(visitor.guest.id);
  });
});

describe('identity and blocking', () => {
  it('marks a wrong hash unverified and a right one verified', async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = await siteOf(owner);
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const identifyAs = (body: object) => identify(visitor, body).then((r) => r.json());
    expect(await identifyAs({ id: 'customer-42', name: 'Zoë', hash: 'deadbeef' })).toMatchObject({ verified: false });
    expect(await titleForOwner(owner, visitor)).toBe(`${visitor.guest.name} (says: Zoë) · Shop`);
    const hash = identityHash(site.secret ?? '', { id: 'customer-42', name: 'Zoë' });
    expect(await identifyAs({ id: 'customer-42', name: 'Zoë', hash })).toMatchObject({ verified: true, name: 'Zoë' });
    expect(await titleForOwner(owner, visitor)).toBe('Zoë · Shop');
  });

  it('does not let a visitor re-send their own hash with another name (issue 20)', async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = await siteOf(owner);
    const secret = site.secret ?? '';
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const identifyAs = (body: object) => identify(visitor, body).then((r) => r.json());
    const titleOf = () => titleForOwner(owner, visitor);

    const signed = { id: 'customer-42', name: 'Zoë', email: 'zoe@example.com' };
    expect(await identifyAs({ ...signed, hash: identityHash(secret, signed) })).toMatchObject({
      verified: true,
      name: 'Zoë',
      email: 'zoe@example.com',
    });
    expect(await titleOf()).toBe('Zoë · Shop');

    // The same valid hash with what the visitor would like to be shown as.
    const forged = await identifyAs({ ...signed, name: 'Shop Support (staff)', hash: identityHash(secret, signed) });
    expect(forged).toMatchObject({ verified: false, name: 'Shop Support (staff)' });
    expect(await titleOf()).not.toMatch(/^Shop Support \(staff\) ·/);
    expect(await titleOf()).toContain('(says: Shop Support (staff))');
    expect(await identifyAs({ ...signed, email: 'boss@shop.example', hash: identityHash(secret, signed) })).toMatchObject({
      verified: false,
    });
  });

  it('treats an old id-only hash as verifying the id, never the name or email (issue 20)', async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = await siteOf(owner);
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const response = await identify(visitor, {
      id: 'customer-42',
      name: 'Shop Support (staff)',
      hash: legacyIdentityHash(site.secret ?? '', 'customer-42'),
    });
    expect(await response.json()).toMatchObject({ id: 'customer-42', verified: false, idVerified: true });
    expect(await titleForOwner(owner, visitor)).toBe(`${visitor.guest.name} (says: Shop Support (staff)) · Shop`);
  });

  it('cuts a blocked visitor off at once and for good', async () => {
    const { owner, site, visitor, closed } = await visitorInOpenChat();
    expect(
      (await api(test.server, 'POST', `/api/sites/${site.key}/visitors/${visitor.guest.id}/block`, { cookie: owner.cookie })).status,
    ).toBe(204);
    expect((await closed).code).toBe(CloseCode.forbidden);
    expect(
      (await fetch(`${test.server.url}/api/widget/ticket`, { method: 'POST', headers: { authorization: `Bearer ${visitor.token}` } }))
        .status,
    ).toBe(401);
    expect((await session(site.key, HOST, visitor.token)).status).toBe(403);
  });

  it("can be done from the conversation, by the site's people only", async () => {
    const [owner, eve] = [await createUser(test.server, 'Owner'), await createUser(test.server, 'Eve')];
    const site = await siteOf(owner);
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const block = (who: TestUser) =>
      api(test.server, 'POST', `/api/conversations/${visitor.conversationId}/block-visitor`, { cookie: who.cookie });
    expect((await block(eve)).status).toBe(404);
    expect((await block(owner)).status).toBe(204);
    expect((await session(site.key, HOST, visitor.token)).status).toBe(403);
  });
});

describe('deleting a site (issue 20)', () => {
  it("ends its visitors' tickets and open chats", async () => {
    const { owner, site, visitor, closed } = await visitorInOpenChat();
    const spareTicket = await ticketFor(visitor.token);

    expect((await api(test.server, 'DELETE', `/api/sites/${site.key}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await closed).code).toBe(CloseCode.forbidden);
    expect(
      (
        await fetch(`${test.server.url}/api/widget/ticket`, {
          method: 'POST',
          headers: { authorization: `Bearer ${visitor.token}`, origin: test.server.url },
        })
      ).status,
    ).toBe(401);
    expect((await closeCodeOf(rawSocket(test.server, `${convDocName(visitor.conversationId)}?ticket=${spareTicket}`))).code).toBe(
      CloseCode.forbidden,
    );
    expect((await identify(visitor, { id: 'customer-42' })).status).toBe(401);
  });
});

describe('pictures in a visitor conversation (issue 15)', () => {
  const asVisitor = (token: string | null, route: string, init: RequestInit = {}) =>
    fetch(test.server.url + route, {
      ...init,
      headers: {
        origin: test.server.url,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  it("shows the owner's picture to its visitor by token, to no other visitor, and takes the visitor's", async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = await siteOf(owner);
    const visitor = (await (await session(site.key)).json()) as WidgetSession;
    const stranger = (await (await session(site.key)).json()) as WidgetSession;

    const sent = await fetch(`${test.server.url}/api/conversations/${visitor.conversationId}/pictures`, {
      method: 'POST',
      headers: { cookie: owner.cookie, origin: test.server.url, 'content-type': 'image/png' },
      body: new Uint8Array(solidPng(8, 8)),
    });
    expect(sent.status).toBe(201);
    const { blobId } = (await sent.json()) as { blobId: string };

    const seen = await asVisitor(visitor.token, `/api/widget/pictures/${blobId}`);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/png');
    expect(seen.headers.get('content-security-policy')).toContain('sandbox');
    expect((await asVisitor(stranger.token, `/api/widget/pictures/${blobId}`)).status).toBe(404);
    expect((await asVisitor(null, `/api/widget/pictures/${blobId}`)).status).toBe(401);

    const upload = await asVisitor(visitor.token, '/api/widget/pictures', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(solidPng(6, 4)),
    });
    expect(upload.status).toBe(201);
    const uploaded = (await upload.json()) as { blobId: string; width: number; height: number };
    expect(uploaded).toMatchObject({ width: 6, height: 4 });
    expect((await fetch(`${test.server.url}/api/blobs/${uploaded.blobId}`, { headers: { cookie: owner.cookie } })).status).toBe(200);
    expect(
      (
        await asVisitor(visitor.token, '/api/widget/pictures', {
          method: 'POST',
          headers: { 'content-type': 'text/html' },
          body: '<script>alert(1)</script>',
        })
      ).status,
    ).toBe(415);
  });
});
