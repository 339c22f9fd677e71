/** When the mail server cannot be reached: accounts are kept, and mail requests say so with 503 mail_unavailable. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';

let dataDir = '';
let server: RunningServer;

beforeEach(async () => {
  dataDir = await makeTempDir();
  // Port 1 on the loopback: nothing listens, the connection is refused at once.
  server = await startTestServer({ dataDir, smtpUrl: 'smtp://127.0.0.1:1' });
});

afterEach(async () => {
  await server.close();
  await removeDir(dataDir);
});

describe('mail server unreachable', () => {
  it('registers anyway, then answers resend and reset requests with 503 mail_unavailable', async () => {
    const person = { name: 'Ada', email: 'ada@example.com', password: 'analytical engine' };
    const registered = await api(server, 'POST', '/api/auth/register', { body: person });
    expect(registered).toMatchObject({ status: 201, body: { ok: true, mailSent: false } });
    const user = await server.context.users.byEmail(person.email);
    expect(user?.activated).toBe(false);

    const resend = await api(server, 'POST', '/api/auth/resend', { body: { email: person.email } });
    expect(resend).toMatchObject({
      status: 503,
      body: { error: 'mail_unavailable', message: expect.stringContaining('could not be sent') },
    });

    const activation = await server.context.tokens.issue(user?.id ?? '', 'activation', 60_000);
    expect((await api(server, 'POST', '/api/auth/activate', { body: { token: activation } })).status).toBe(200);
    const reset = await api(server, 'POST', '/api/auth/reset-request', { body: { email: person.email } });
    expect(reset).toMatchObject({ status: 503, body: { error: 'mail_unavailable' } });
  });
});
