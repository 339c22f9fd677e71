/**
 * The app's documents over one shared socket (issue 12), against the real
 * relay: many documents, one socket; a refused document stops alone with
 * the code a socket of its own would have got; a dropped socket brings every
 * document back with one subscribe each; a sign-out stops them all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../../shared/doc-names.js';
import { MUX_PATH } from '../../../shared/mux-frames.js';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { api } from '../../../sync-server/testing/api-call.js';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { whenChanged } from '../../testing/wait-for.js';
import { OFFLINE_AFTER_FAILED_ATTEMPTS, summarizeSync } from './connection-state.js';
import { DocConnection } from './doc-connection.js';
import { MuxProvider } from './mux-provider.js';
import { cookieSocket } from '../../testing/cookie-socket.js';

const test = useTestServer();
const providers: MuxProvider[] = [];
const connections: DocConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.destroy()));
  for (const provider of providers.splice(0)) provider.destroy();
});

function muxOf(user: TestUser): MuxProvider {
  const provider = new MuxProvider(`${test.server.url.replace(/^http/, 'ws')}${MUX_PATH}`, {
    WebSocketPolyfill: cookieSocket(user.cookie),
  });
  providers.push(provider);
  return provider;
}

function open(mux: MuxProvider, name: string): DocConnection {
  const connection = new DocConnection(name, { wsBase: 'unused', persist: false, mux, stopOnRefusal: name.startsWith('conv/') });
  connections.push(connection);
  return connection;
}

const synced = (connection: DocConnection) => connection.state.phase === 'connected' && connection.state.synced;

describe('MuxProvider', () => {
  it('syncs many documents over one socket, and a refused one stops alone', async () => {
    const [alice, bob, mallory] = [
      await createUser(test.server, 'Alice'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Mallory'),
    ];
    const ours = convDocName(await directConversation(test.server, alice, bob));
    const notMine = convDocName(await directConversation(test.server, bob, mallory));
    const mux = muxOf(alice);
    const [own, chat, refused] = [open(mux, userDocName(alice.id)), open(mux, ours), open(mux, notMine)];
    await whenChanged([own, chat], () => synced(own) && synced(chat), 'both documents synced');
    await whenChanged(refused, () => refused.state.phase === 'stopped', 'the refusal');
    expect(refused.state.stopCode).toBe(CloseCode.forbidden);
    expect(mux.socketsOpened).toBe(1);
    // Bob's message arrives; mine is numbered.
    const bobs = test.open(bob, ours);
    const fromBob = writeMessage(bobs.doc, bob.id, 'hi Alice');
    await whenChanged(chat.doc, () => messagesOf(chat.doc).has(fromBob.id), "Bob's message");
    const mine = writeMessage(chat.doc, alice.id, 'hi Bob');
    await whenChanged(chat.doc, () => seqIndexOf(chat.doc).has(mine.id), 'my message numbered');
    expect(synced(own) && synced(chat)).toBe(true);
    expect(mux.socketsOpened).toBe(1);
  });

  it('receives a document larger than one fragment (the relay sends name and message as two)', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const ours = convDocName(await directConversation(test.server, alice, bob));
    const bobs = test.open(bob, ours);
    const written = Array.from({ length: 12 }, (_, i) => writeMessage(bobs.doc, bob.id, `${i} ${'x'.repeat(9_000)}`));
    await whenChanged(bobs.doc, () => written.every((message) => seqIndexOf(bobs.doc).has(message.id)), "Bob's messages stored");
    const chat = open(muxOf(alice), ours);
    await whenChanged(chat, () => synced(chat), 'synced');
    expect(messagesOf(chat.doc).size).toBe(written.length);
  });

  it('brings every document back after the socket drops, and sends what was written meanwhile', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const ours = convDocName(await directConversation(test.server, alice, bob));
    const mux = muxOf(alice);
    const [own, chat] = [open(mux, userDocName(alice.id)), open(mux, ours)];
    await whenChanged([own, chat], () => synced(own) && synced(chat), 'both documents synced');
    mux.dropSocket();
    const written = writeMessage(chat.doc, alice.id, 'written while the socket was down');
    await whenChanged([own, chat], () => synced(own) && synced(chat), 'both documents synced again');
    await whenChanged(chat.doc, () => seqIndexOf(chat.doc).has(written.id), 'the message numbered');
    expect(mux.socketsOpened).toBe(2);
  });

  it('starts its backoff afresh once the relay answered: a socket lost for the fifth time comes back as fast as the first', async () => {
    const alice = await createUser(test.server, 'Alice');
    const mux = muxOf(alice);
    const own = open(mux, userDocName(alice.id));
    await whenChanged(own, () => synced(own), 'synced');
    let lastGapMs = 0;
    for (let loss = 1; loss <= 5; loss++) {
      // Lost as when its relay dies (not dropSocket, which forgets the failed attempts itself).
      const lostAt = performance.now();
      mux.socket?.close();
      await whenChanged(own, () => !synced(own), `loss ${loss} seen`);
      await whenChanged(own, () => synced(own), `synced again after loss ${loss}`, 20_000);
      lastGapMs = performance.now() - lostAt;
    }
    expect(mux.socketsOpened).toBe(6);
    // Counting every loss of the tab's life, the fifth waited 2^5 × 100 = 3,200 ms; afresh it waits 200 ms.
    expect(lastGapMs).toBeLessThan(2500);
  });

  it('stops every document with 4401 when the session signs out', async () => {
    const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
    const ours = convDocName(await directConversation(test.server, alice, bob));
    const mux = muxOf(alice);
    const [own, chat] = [open(mux, userDocName(alice.id)), open(mux, ours)];
    await whenChanged([own, chat], () => synced(own) && synced(chat), 'both documents synced');
    expect((await api(test.server, 'POST', '/api/auth/logout', { cookie: alice.cookie })).status).toBe(204);
    await whenChanged([own, chat], () => own.state.phase === 'stopped' && chat.state.phase === 'stopped', 'both stopped');
    expect([own.state.stopCode, chat.state.stopCode]).toEqual([CloseCode.unauthenticated, CloseCode.unauthenticated]);
    expect(mux.socket).toBeNull();
    // Resumed with the ended session, the new socket is refused at the upgrade: every document stops again.
    own.resume();
    chat.resume();
    await whenChanged([own, chat], () => own.state.phase === 'stopped' && chat.state.phase === 'stopped', 'both stopped again');
    expect([own.state.stopCode, chat.state.stopCode]).toEqual([CloseCode.unauthenticated, CloseCode.unauthenticated]);
    expect(mux.socketsOpened).toBe(2);
  });

  it('counts every failed socket as a failed attempt of each document waiting, so the status turns offline', async () => {
    const mux = new MuxProvider('ws://127.0.0.1:9/mux', { WebSocketPolyfill: cookieSocket(''), maxBackoffMs: 200 });
    providers.push(mux);
    const documents = [open(mux, 'user/u1'), open(mux, 'conv/c1')];
    await whenChanged(
      documents,
      () => documents.every((d) => d.state.failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS),
      'three failed attempts each',
    );
    expect(
      summarizeSync(
        documents.map((d) => d.state),
        { browserOnline: true, pending: 0 },
      ).status,
    ).toBe('offline');
  });

  it('opens its socket early, with no document: the first document subscribes on it, no second socket', async () => {
    const ann = await createUser(test.server, 'Ann');
    const page = new PageCookies();
    page.take(await api(test.server, 'POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } }));
    const mux = muxOf(ann);
    mux.openEarly(page.read());
    expect(mux.socketsOpened).toBe(1);
    const own = open(mux, userDocName(ann.id));
    own.provider.connect();
    await whenChanged(own, () => synced(own), 'synced on the early socket');
    expect(mux.socketsOpened).toBe(1);
  });

  it('opens no early socket for a signed-out visitor: nobody signed in, or their session ended at a sign-out', async () => {
    const stranger = new MuxProvider(`${test.server.url.replace(/^http/, 'ws')}${MUX_PATH}`, { WebSocketPolyfill: cookieSocket('') });
    providers.push(stranger);
    stranger.openEarly('');
    expect([stranger.socketsOpened, stranger.socket]).toEqual([0, null]);
    const ann = await createUser(test.server, 'Ann');
    const page = new PageCookies();
    page.take(await api(test.server, 'POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } }));
    // The session cookie is HttpOnly: what the page sees of it is the marker alone.
    expect(page.read()).not.toContain('hc_session');
    const signedIn = muxOf(ann);
    signedIn.openEarly(page.read());
    expect(signedIn.socketsOpened).toBe(1);
    page.take(await api(test.server, 'POST', '/api/auth/logout', { cookie: ann.cookie }));
    const signedOut = muxOf(ann);
    signedOut.openEarly(page.read());
    expect([signedOut.socketsOpened, signedOut.socket]).toEqual([0, null]);
  });
});

/** What a page's `document.cookie` shows after the responses it saw: HttpOnly cookies left out, expired ones removed. */
class PageCookies {
  private readonly visible = new Map<string, string>();

  take(response: { headers: Headers }): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', value = ''] = pair.split('=');
      if (attributes.some((attribute) => /^httponly$/i.test(attribute))) continue;
      const expires = attributes.find((attribute) => /^expires=/i.test(attribute));
      const gone =
        attributes.some((attribute) => /^max-age=0$/i.test(attribute)) || (expires && Date.parse(expires.slice(8)) <= Date.now());
      if (gone) this.visible.delete(name);
      else this.visible.set(name, value);
    }
  }

  read(): string {
    return [...this.visible].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
