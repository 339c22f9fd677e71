/**
 * Account settings over a real server (issue 15): changing the password needs
 * the current one and signs every other session out (their sockets close
 * 4401), keeping this one; a person sees their sessions with device and last
 * use and can end one or all others, never someone else's; a new email
 * address takes the current password and a link mailed to that address.
 */
import { describe, expect, it } from 'vitest';
import type { SessionList } from '../../shared/api.js';
import { userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { api } from '../testing/api-call.js';
import { linkFromOutbox, outboxMailsTo, tokenOf } from '../testing/outbox-mail.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { createUser, signIn, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Signs in again as `user` from a browser that says `userAgent`; returns that session's cookie. */
async function signInFrom(user: TestUser, userAgent: string): Promise<string> {
  const response = await fetch(`${test.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: test.server.url, 'user-agent': userAgent },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/** An open socket to the person's own document with `cookie`, and the promise of its close. */
async function openSocket(user: TestUser, cookie: string) {
  const socket = rawSocket(test.server, userDocName(user.id), { cookie });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, closed: closeCodeOf(socket) };
}

describe('changing the password (issue 15 account settings)', () => {
  it('needs the current password and a strong new one, then signs every other session out and keeps this one', async () => {
    const ada = await createUser(test.server, 'Ada');
    const laptop = await signInFrom(ada, FIREFOX_LINUX);
    const other = await openSocket(ada, laptop);
    const mine = await openSocket(ada, ada.cookie);

    const wrong = await api(test.server, 'POST', '/api/account/password', {
      cookie: ada.cookie,
      body: { currentPassword: 'not my password', password: 'a brand new secret' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: 'wrong_password' });
    const weak = await api(test.server, 'POST', '/api/account/password', {
      cookie: ada.cookie,
      body: { currentPassword: ada.password, password: '12345678' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: 'password_too_weak' });
    expect((await api(test.server, 'GET', '/api/me', { cookie: laptop })).status).toBe(200);

    const changed = await api(test.server, 'POST', '/api/account/password', {
      cookie: ada.cookie,
      body: { currentPassword: ada.password, password: 'a brand new secret' },
    });
    expect(changed.status).toBe(200);
    expect((await other.closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: laptop })).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(200);
    expect(mine.socket.readyState).toBe(mine.socket.OPEN);
    mine.socket.close();

    expect((await api(test.server, 'POST', '/api/auth/login', { body: { email: ada.email, password: ada.password } })).status).toBe(401);
    await signIn(test.server, ada.email, 'a brand new secret');
  });

  it('is refused without a session, and a stolen session cannot guess the password without limit', async () => {
    expect(
      (await api(test.server, 'POST', '/api/account/password', { body: { currentPassword: 'x', password: 'a brand new secret' } })).status,
    ).toBe(401);
    const bob = await createUser(test.server, 'Bob');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30 && !statuses.includes(429); attempt++) {
      const guess = await api(test.server, 'POST', '/api/account/password', {
        cookie: bob.cookie,
        body: { currentPassword: `guess number ${attempt}`, password: 'a brand new secret' },
      });
      statuses.push(guess.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 403 && status !== 429)).toEqual([]);
  });
});

describe('my sessions (issue 15 account settings)', () => {
  it('lists my sessions with device and last use, this one first and marked', async () => {
    const ada = await createUser(test.server, 'Ada');
    const before = Date.now();
    await signInFrom(ada, FIREFOX_LINUX);
    const list = await api<SessionList>(test.server, 'GET', '/api/account/sessions', { cookie: ada.cookie });
    expect(list.status).toBe(200);
    // createUser's activation signed in too (activation signs in, issue 15): three sessions.
    expect(list.body.sessions).toHaveLength(3);
    const [current, laptop] = list.body.sessions;
    expect(current.current).toBe(true);
    // The most recently used of the others comes next.
    expect(laptop).toMatchObject({ current: false, device: 'Firefox on Linux' });
    expect(laptop.lastUsedAt).toBeGreaterThanOrEqual(before);
    expect(laptop.createdAt).toBeGreaterThanOrEqual(before);
    // The list is mine alone.
    const bob = await createUser(test.server, 'Bob');
    const bobs = await api<SessionList>(test.server, 'GET', '/api/account/sessions', { cookie: bob.cookie });
    expect(bobs.body.sessions.map((session) => session.id)).not.toContain(laptop.id);
    expect(bobs.body.sessions.filter((session) => session.current)).toHaveLength(1);
  });

  it("ends one session (its sockets close 4401), never someone else's", async () => {
    const ada = await createUser(test.server, 'Ada');
    const eve = await createUser(test.server, 'Eve');
    const laptop = await signInFrom(ada, FIREFOX_LINUX);
    const other = await openSocket(ada, laptop);
    const list = await api<SessionList>(test.server, 'GET', '/api/account/sessions', { cookie: ada.cookie });
    const laptopId = list.body.sessions.find((session) => session.device === 'Firefox on Linux')?.id ?? '';

    const stolen = await api(test.server, 'DELETE', `/api/account/sessions/${laptopId}`, { cookie: eve.cookie });
    expect(stolen.status).toBe(404);
    expect(stolen.body).toMatchObject({ error: 'session_not_found' });
    expect((await api(test.server, 'GET', '/api/me', { cookie: laptop })).status).toBe(200);

    expect((await api(test.server, 'DELETE', `/api/account/sessions/${laptopId}`, { cookie: ada.cookie })).status).toBe(204);
    expect((await other.closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: laptop })).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(200);
  });

  it('signs out every other session and keeps this one', async () => {
    const ada = await createUser(test.server, 'Ada');
    const laptop = await signInFrom(ada, FIREFOX_LINUX);
    const phone = await signInFrom(ada, 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0.0.0 Mobile Safari/537.36');
    const sockets = [await openSocket(ada, laptop), await openSocket(ada, phone)];
    const ended = await api(test.server, 'POST', '/api/account/sessions/sign-out-others', { cookie: ada.cookie });
    // Two sign-ins here and the one activation made in createUser.
    expect(ended.body).toEqual({ ended: 3 });
    for (const { closed } of sockets) expect((await closed).code).toBe(CloseCode.unauthenticated);
    for (const cookie of [laptop, phone]) expect((await api(test.server, 'GET', '/api/me', { cookie })).status).toBe(401);
    const list = await api<SessionList>(test.server, 'GET', '/api/account/sessions', { cookie: ada.cookie });
    expect(list.body.sessions.map((session) => session.current)).toEqual([true]);
  });
});

describe('changing the email (issue 15 account settings)', () => {
  it('mails a link to the new address (in the request language); the account moves only when it is used, once', async () => {
    const ada = await createUser(test.server, 'Ada');
    const newEmail = `ada.new.${Date.now()}@example.com`;
    const wrong = await api(test.server, 'POST', '/api/account/email', {
      cookie: ada.cookie,
      body: { email: newEmail, currentPassword: 'not my password' },
    });
    expect(wrong.status).toBe(403);
    expect(await outboxMailsTo(test.dataDir, newEmail)).toEqual([]);

    const asked = await api(test.server, 'POST', '/api/account/email', {
      cookie: ada.cookie,
      language: 'zh-CN',
      body: { email: newEmail, currentPassword: ada.password },
    });
    expect(asked.status).toBe(200);
    const [mail] = await outboxMailsTo(test.dataDir, newEmail);
    expect(mail.subject).toContain('新邮箱');
    // Not moved yet: the old address still signs in.
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).body).toMatchObject({ email: ada.email });
    await signIn(test.server, ada.email, ada.password);

    const token = tokenOf(await linkFromOutbox(test.dataDir, newEmail, 'confirm-email'));
    const confirmed = await api(test.server, 'POST', '/api/auth/confirm-email', { body: { token } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ email: newEmail });
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).body).toMatchObject({ email: newEmail });
    await signIn(test.server, newEmail, ada.password);
    expect((await api(test.server, 'POST', '/api/auth/login', { body: { email: ada.email, password: ada.password } })).status).toBe(401);
    expect((await api(test.server, 'POST', '/api/auth/confirm-email', { body: { token } })).body).toMatchObject({ error: 'invalid_token' });
  });

  it("refuses another person's address, also when they took it after the link was sent; expired links fail", async () => {
    const ada = await createUser(test.server, 'Ada');
    const bob = await createUser(test.server, 'Bob');
    const taken = await api(test.server, 'POST', '/api/account/email', {
      cookie: ada.cookie,
      body: { email: bob.email, currentPassword: ada.password },
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'email_taken' });

    const contested = `contested.${Date.now()}@example.com`;
    expect(
      (
        await api(test.server, 'POST', '/api/account/email', {
          cookie: ada.cookie,
          body: { email: contested, currentPassword: ada.password },
        })
      ).status,
    ).toBe(200);
    const link = await linkFromOutbox(test.dataDir, contested, 'confirm-email');
    const { accountSettings } = test.server.context;
    expect(await test.server.context.users.changeEmail(bob.id, contested)).toBe(true);
    const late = await accountSettings.confirmEmail(tokenOf(link));
    expect(late).toMatchObject({ ok: false, error: 'email_taken' });
    expect((await test.server.context.users.byId(ada.id))?.email).toBe(ada.email);

    const expired = await test.server.context.tokens.issue(ada.id, 'email-change', -1, `late.${Date.now()}@example.com`);
    expect((await api(test.server, 'POST', '/api/auth/confirm-email', { body: { token: expired } })).status).toBe(410);
    // A reset token is not an email-change token.
    const reset = await test.server.context.tokens.issue(ada.id, 'password-reset', 60_000);
    expect((await api(test.server, 'POST', '/api/auth/confirm-email', { body: { token: reset } })).status).toBe(400);
  });

  // Whoever knows the password can move the account to their own mailbox; the owner must hear of it and be able to take it back.
  it('tells the address the account left, whose link moves it back, ends every session and asks for a new password', async () => {
    const ada = await createUser(test.server, 'Ada');
    const thief = `thief.${Date.now()}@example.com`;
    const thiefLaptop = await signInFrom(ada, FIREFOX_LINUX);
    const thiefSocket = await openSocket(ada, thiefLaptop);
    const asked = await api(test.server, 'POST', '/api/account/email', {
      cookie: thiefLaptop,
      body: { email: thief, currentPassword: ada.password },
    });
    expect(asked.status).toBe(200);
    // A second link asked for at once: it must not work once the owner has moved the account back.
    await api(test.server, 'POST', '/api/account/email', {
      cookie: thiefLaptop,
      body: { email: `${thief}.spare`, currentPassword: ada.password },
    });
    const spare = tokenOf(await linkFromOutbox(test.dataDir, `${thief}.spare`, 'confirm-email'));
    const confirmed = await api(test.server, 'POST', '/api/auth/confirm-email', {
      language: 'zh-CN',
      body: { token: tokenOf(await linkFromOutbox(test.dataDir, thief, 'confirm-email')) },
    });
    expect(confirmed.status).toBe(200);

    const notice = (await outboxMailsTo(test.dataDir, ada.email)).at(-1);
    expect(notice?.subject).toBe('你的 Happy Chat 账号换了邮箱地址');
    expect(notice?.text).toContain(thief);
    const revert = tokenOf(await linkFromOutbox(test.dataDir, ada.email, 'revert-email'));
    // Only the revert link does this: a confirm token is no revert token, and the reverse.
    expect((await api(test.server, 'POST', '/api/auth/revert-email', { body: { token: spare } })).status).toBe(400);

    const reverted = await api(test.server, 'POST', '/api/auth/revert-email', { body: { token: revert } });
    expect(reverted.status).toBe(200);
    expect(reverted.body).toEqual({ email: ada.email });
    expect((await test.server.context.users.byId(ada.id))?.email).toBe(ada.email);
    // Every session ended, the thief's socket closed, and the password they knew no longer works.
    expect((await thiefSocket.closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: thiefLaptop })).status).toBe(401);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(401);
    for (const email of [ada.email, thief]) {
      expect((await api(test.server, 'POST', '/api/auth/login', { body: { email, password: ada.password } })).status).toBe(401);
    }
    // The link the thief kept does not move the account again; the revert link works once.
    expect((await api(test.server, 'POST', '/api/auth/confirm-email', { body: { token: spare } })).body).toMatchObject({
      error: 'invalid_token',
    });
    expect((await test.server.context.users.byId(ada.id))?.email).toBe(ada.email);
    expect((await api(test.server, 'POST', '/api/auth/revert-email', { body: { token: revert } })).body).toMatchObject({
      error: 'invalid_token',
    });

    // The owner chooses a new password from the link mailed to the restored address.
    const reset = tokenOf(await linkFromOutbox(test.dataDir, ada.email, 'reset'));
    const chosen = await api(test.server, 'POST', '/api/auth/reset', { body: { token: reset, password: 'Kite-harbour 47 lanterns' } });
    expect(chosen.status).toBe(200);
    await signIn(test.server, ada.email, 'Kite-harbour 47 lanterns');
  });
});
