/** Password reset by mail: single use, expiring, and it signs the person out everywhere. */
import { describe, expect, it } from 'vitest';
import { userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { api } from '../testing/api-call.js';
import { linkFromOutbox, tokenOf } from '../testing/outbox-mail.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { createUser, signIn } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

describe('password reset', () => {
  it('sets a new password once and ends every old session', async () => {
    const ada = await createUser(test.server, 'Ada');
    const socket = rawSocket(test.server, userDocName(ada.id), { cookie: ada.cookie });
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = closeCodeOf(socket);

    expect((await api(test.server, 'POST', '/api/auth/reset-request', { body: { email: ada.email } })).status).toBe(200);
    const token = tokenOf(await linkFromOutbox(test.dataDir, ada.email, 'reset'));
    expect((await api(test.server, 'POST', '/api/auth/reset', { body: { token, password: 'short' } })).body).toMatchObject({
      error: 'password_too_short',
    });
    expect((await api(test.server, 'POST', '/api/auth/reset', { body: { token, password: 'a brand new secret' } })).status).toBe(200);

    expect((await closed).code).toBe(CloseCode.unauthenticated);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(401);
    expect((await api(test.server, 'POST', '/api/auth/login', { body: { email: ada.email, password: ada.password } })).status).toBe(401);
    await signIn(test.server, ada.email, 'a brand new secret');
    expect((await api(test.server, 'POST', '/api/auth/reset', { body: { token, password: 'yet another secret' } })).body).toMatchObject({
      error: 'invalid_token',
    });
  });

  it('refuses an easily guessed new password without using the token up (issue 15)', async () => {
    const ada = await createUser(test.server, 'Ada');
    expect((await api(test.server, 'POST', '/api/auth/reset-request', { body: { email: ada.email } })).status).toBe(200);
    const token = tokenOf(await linkFromOutbox(test.dataDir, ada.email, 'reset'));
    const weak = await api(test.server, 'POST', '/api/auth/reset', { body: { token, password: '12345678' } });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: 'password_too_weak' });
    expect((await api(test.server, 'POST', '/api/auth/reset', { body: { token, password: 'a brand new secret' } })).status).toBe(200);
    await signIn(test.server, ada.email, 'a brand new secret');
  });

  it('answers the same for unknown addresses and refuses expired tokens', async () => {
    expect((await api(test.server, 'POST', '/api/auth/reset-request', { body: { email: 'nobody@example.com' } })).status).toBe(200);
    const ada = await createUser(test.server, 'Ada');
    const expired = await test.server.context.tokens.issue(ada.id, 'password-reset', -1);
    expect((await api(test.server, 'POST', '/api/auth/reset', { body: { token: expired, password: 'a brand new secret' } })).status).toBe(
      410,
    );
    // An activation token is not a reset token.
    const activation = await test.server.context.tokens.issue(ada.id, 'activation', 60_000);
    expect(
      (await api(test.server, 'POST', '/api/auth/reset', { body: { token: activation, password: 'a brand new secret' } })).status,
    ).toBe(400);
  });

  it('lets exactly one of three parallel resets use one token (issue 20)', async () => {
    const ada = await createUser(test.server, 'Ada');
    expect((await api(test.server, 'POST', '/api/auth/reset-request', { body: { email: ada.email } })).status).toBe(200);
    const token = tokenOf(await linkFromOutbox(test.dataDir, ada.email, 'reset'));
    const passwords = ['first new secret', 'second new secret', 'third new secret'];
    const results = await Promise.all(
      passwords.map((password) => api(test.server, 'POST', '/api/auth/reset', { body: { token, password } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    const winner = passwords[results.findIndex((r) => r.status === 200)];
    await signIn(test.server, ada.email, winner);
  });
});
