/** The account API's refusals: each with a clear status and error code. */
import { describe, expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import { SESSION_TTL_MS } from '../../shared/limits.js';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';
import { KEY_SEPARATOR } from '../store/database.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { linkFromOutbox, tokenOf } from '../testing/outbox-mail.js';
import { createUser, signIn } from '../testing/test-users.js';
import { openRawSession } from '../testing/raw-session.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

const valid = { name: 'Ada', email: 'ada@example.com', password: 'analytical engine' };

describe('registration', () => {
  it.each([
    [{ ...valid, email: 'not-an-email' }, 'invalid_email'],
    [{ ...valid, password: 'short' }, 'password_too_short'],
    [{ ...valid, name: '   ' }, 'name_required'],
    [{ ...valid, name: 'x'.repeat(41) }, 'name_too_long'],
    [{ email: valid.email }, 'invalid_request'],
  ])('refuses %j with %s', async (body, error) => {
    const response = await api(test.server, 'POST', '/api/auth/register', { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error });
    expect(typeof (response.body as { message: unknown }).message).toBe('string');
  });

  it.each(['12345678', 'password1', 'qwertyuiop', 'ada.lovelace'])(
    'refuses the easily guessed password %s and says why (issue 15)',
    async (password) => {
      const response = await api(test.server, 'POST', '/api/auth/register', { body: { ...valid, name: 'Ada Lovelace', password } });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'password_too_weak' });
      expect((response.body as { message: string }).message).toMatch(/^This password is too easy to guess\. \S/);
      expect(await test.server.context.users.byEmail(valid.email)).toBeUndefined();
    },
  );

  it('refuses an email that is already registered with 409, whatever its case', async () => {
    expect((await api(test.server, 'POST', '/api/auth/register', { body: valid })).status).toBe(201);
    const again = await api(test.server, 'POST', '/api/auth/register', { body: { ...valid, email: 'ADA@example.com' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'email_taken' });
  });

  it('answers malformed JSON with 400, not a crash', async () => {
    const response = await fetch(`${test.server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: test.server.url },
      body: '{"name":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('stores no password in clear text', async () => {
    await api(test.server, 'POST', '/api/auth/register', { body: valid });
    const user = await test.server.context.users.byEmail(valid.email);
    expect(user?.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(JSON.stringify(user)).not.toContain(valid.password);
  });
});

describe('sign-in', () => {
  it('refuses a wrong password with 401 and the same answer as an unknown email', async () => {
    const person = await createUser(test.server, 'Ada');
    const wrong = await api(test.server, 'POST', '/api/auth/login', { body: { email: person.email, password: 'wrong password' } });
    const unknown = await api(test.server, 'POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'whatever1' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('rate limits failed sign-ins per account with 429 and Retry-After', async () => {
    const person = await createUser(test.server, 'Ada');
    const attempt = () => api(test.server, 'POST', '/api/auth/login', { body: { email: person.email, password: 'wrong password' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets the right password through an account someone else locked with wrong ones (issue 20)', async () => {
    const person = await createUser(test.server, 'Ada');
    const wrong = () => api(test.server, 'POST', '/api/auth/login', { body: { email: person.email, password: 'wrong password' } });
    for (let i = 0; i < 12; i++) await wrong();
    expect((await wrong()).status).toBe(429);
    const right = await api(test.server, 'POST', '/api/auth/login', { body: { email: person.email, password: person.password } });
    expect(right.status).toBe(200);
    // Right passwords are not failures: signing in often never locks anyone out.
    for (let i = 0; i < 12; i++) await signIn(test.server, person.email, person.password);
  });

  it('gives /api/me to a signed-in person and 401 to anyone else', async () => {
    const person = await createUser(test.server, 'Ada');
    const me = await api(test.server, 'GET', '/api/me', { cookie: person.cookie });
    expect(me.body).toEqual({ id: person.id, name: 'Ada', email: person.email });
    expect((await api(test.server, 'GET', '/api/me')).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: 'hc_session=abc' })).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, and beside it a marker the page reads', async () => {
    const person = await createUser(test.server, 'Ada');
    const response = await fetch(`${test.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: test.server.url },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hc_session=[a-z2-7]{32}\.[a-z2-7]{32};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    // Beside it, a marker the page can read (not HttpOnly, no secret): it opens its relay socket early only with it.
    const [, marker = ''] = response.headers.getSetCookie();
    expect(marker).toMatch(/^hc_signed_in=1;.*Path=\/.*SameSite=Lax/i);
    expect(marker).not.toMatch(/HttpOnly/i);
    const loggedOut = await api(test.server, 'POST', '/api/auth/logout', { cookie: cookie.split(';')[0] });
    expect(loggedOut.headers.getSetCookie().map((line) => line.split('=')[0])).toEqual(['hc_session', 'hc_signed_in']);
    expect(loggedOut.headers.getSetCookie().every((line) => /Expires=Thu, 01 Jan 1970/.test(line))).toBe(true);
  });
});

describe('sessions from before <id>.<secret> (issue 19)', () => {
  /** Writes a session the way the store held it before: keyed by the SHA-256 of the whole token. */
  async function oldFormatCookie(userId: string): Promise<{ cookie: string; id: string }> {
    const token = generateSecretToken();
    const id = hashToken(token);
    const { db } = test.server.context;
    await db.sessions.put(id, { id, userId, expiresAt: Date.now() + SESSION_TTL_MS });
    await db.userSessions.put(userId + KEY_SEPARATOR + id, true);
    return { cookie: `hc_session=${token}`, id };
  }

  it('still sign in over HTTP and the relay, get a new-format cookie for the same session, and end on sign-out', async () => {
    const ada = await createUser(test.server, 'Ada');
    const old = await oldFormatCookie(ada.id);
    // The relay takes it as it is (a socket upgrade cannot set a cookie).
    const socket = await openRawSession(test.server, old, userDocName(ada.id));
    await socket.synced;
    socket.close();
    const me = await api(test.server, 'GET', '/api/me', { cookie: old.cookie });
    expect(me.status).toBe(200);
    const setCookie = me.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^hc_session=${old.id}\\.[a-z2-7]{32};`));
    const fresh = setCookie.split(';')[0] ?? '';
    expect((await api(test.server, 'GET', '/api/me', { cookie: fresh })).body).toMatchObject({ id: ada.id });
    expect((await api(test.server, 'POST', '/api/auth/logout', { cookie: fresh })).status).toBe(204);
    expect((await api(test.server, 'GET', '/api/me', { cookie: fresh })).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: old.cookie })).status).toBe(401);
  });

  it('refuses a new-format cookie with the right id and a wrong secret', async () => {
    const ada = await createUser(test.server, 'Ada');
    const id = ada.cookie.slice('hc_session='.length).split('.')[0] ?? '';
    expect((await api(test.server, 'GET', '/api/me', { cookie: `hc_session=${id}.${generateSecretToken()}` })).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(200);
  });
});

describe('activation (issue 15)', () => {
  it('signs the person in, and leads back to the invite they signed up from', async () => {
    const invite = 'abcdefghijklmnopqrstuvwxyz234567';
    const body = { name: 'Ada', email: 'ada-invited@example.com', password: 'analytical engine', invite };
    expect((await api(test.server, 'POST', '/api/auth/register', { body })).status).toBe(201);
    const link = new URL(await linkFromOutbox(test.dataDir, body.email, 'activate'));
    expect(link.searchParams.get('join')).toBe(invite);
    const activated = await api(test.server, 'POST', '/api/auth/activate', { body: { token: tokenOf(link.href) } });
    expect(activated).toMatchObject({ status: 200, body: { name: 'Ada', email: body.email } });
    const cookie = (activated.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api(test.server, 'GET', '/api/me', { cookie })).body).toMatchObject({ email: body.email });
  });

  it('refuses an invite code that is not one', async () => {
    const body = { name: 'Ada', email: 'ada-odd@example.com', password: 'analytical engine', invite: '../../evil' };
    expect((await api(test.server, 'POST', '/api/auth/register', { body })).status).toBe(400);
  });
});

describe('activation (issue 20)', () => {
  it('lets exactly one of three parallel activations use the token', async () => {
    const body = { name: 'Ada', email: 'ada-parallel@example.com', password: 'analytical engine' };
    expect((await api(test.server, 'POST', '/api/auth/register', { body })).status).toBe(201);
    const token = tokenOf(await linkFromOutbox(test.dataDir, body.email, 'activate'));
    const results = await Promise.all([1, 2, 3].map(() => api(test.server, 'POST', '/api/auth/activate', { body: { token } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });
});

describe('cross-site requests', () => {
  it('refuses a state-changing request from another Origin', async () => {
    const response = await api(test.server, 'POST', '/api/auth/register', { body: valid, origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'bad_origin' });
    expect(await test.server.context.users.byEmail(valid.email)).toBeUndefined();
  });

  it('refuses a cross-site request that hides its Origin', async () => {
    const response = await fetch(`${test.server.url}/api/auth/logout`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(403);
  });
});

describe('conversations', () => {
  it('starts the same direct conversation whoever asks, and lists it for both', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    await befriend(test.server, ada, bob);
    const first = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'direct', email: bob.email },
    });
    const second = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: bob.cookie,
      body: { kind: 'direct', email: ada.email },
    });
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const list = await api<Array<{ id: string; title: string; kind: string }>>(test.server, 'GET', '/api/conversations', {
      cookie: ada.cookie,
    });
    expect(list.body.map((c) => c.kind).sort()).toEqual(['direct', 'robot']);
    expect(list.body.find((c) => c.kind === 'direct')).toMatchObject({ id: first.body.id, title: 'Bob' });
  });

  it('refuses unknown people, oneself, and anonymous callers', async () => {
    const ada = await createUser(test.server, 'Ada');
    const start = (email: string, cookie?: string) =>
      api(test.server, 'POST', '/api/conversations', { cookie, body: { kind: 'direct', email } });
    expect((await start('ghost@example.com', ada.cookie)).status).toBe(404);
    expect((await start(ada.email, ada.cookie)).body).toMatchObject({ error: 'cannot_chat_with_self' });
    expect((await start(ada.email)).status).toBe(401);
  });

  it('does not start a conversation with someone who has not activated', async () => {
    const ada = await createUser(test.server, 'Ada');
    await api(test.server, 'POST', '/api/auth/register', { body: { name: 'Late', email: 'late@example.com', password: 'not yet active' } });
    const response = await api(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'direct', email: 'late@example.com' },
    });
    expect(response.status).toBe(404);
  });
});
