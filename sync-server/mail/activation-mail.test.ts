/**
 * Activation mail end to end over real SMTP: nodemailer → a real
 * `smtp-server` on loopback → mailparser.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { linkInMail, tokenOf } from '../testing/outbox-mail.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { signIn } from '../testing/test-users.js';

let dataDir: string;
let server: RunningServer;
let smtp: SMTPServer;
let inbox: ParsedMail[];
let mailArrived: (() => void) | undefined;

function nextMail(): Promise<void> {
  return new Promise((resolve) => (mailArrived = resolve));
}

beforeEach(async () => {
  inbox = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        inbox.push(mail);
        callback();
        mailArrived?.();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  dataDir = await makeTempDir();
  server = await startTestServer({ dataDir, smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Happy Chat <chat@example.com>' });
});

afterEach(async () => {
  await server.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
  await removeDir(dataDir);
});

const person = { name: 'Zoë 张', email: 'zoe@example.com', password: 'a long enough secret' };

describe('activation mail over SMTP', () => {
  it('sends a mail whose link activates the account', async () => {
    const arrived = nextMail();
    expect((await api(server, 'POST', '/api/auth/register', { body: person })).status).toBe(201);
    await arrived;
    expect(inbox).toHaveLength(1);
    const mail = inbox[0];
    expect(mail.subject).toBe('Activate your Happy Chat account');
    expect(mail.text).toContain('Zoë 张');
    const link = linkInMail(mail.text ?? '', 'activate');
    expect(link.startsWith(`${server.url}/activate?token=`)).toBe(true);

    const before = await api(server, 'POST', '/api/auth/login', { body: { email: person.email, password: person.password } });
    expect(before.status).toBe(403);
    expect(before.body).toMatchObject({ error: 'not_activated' });

    expect((await api(server, 'POST', '/api/auth/activate', { body: { token: tokenOf(link) } })).status).toBe(200);
    const me = await signIn(server, person.email, person.password);
    expect(me).toMatchObject({ name: person.name, email: person.email });
  });

  it('refuses a token that was already used', async () => {
    const arrived = nextMail();
    await api(server, 'POST', '/api/auth/register', { body: person });
    await arrived;
    const token = tokenOf(linkInMail(inbox[0].text ?? '', 'activate'));
    expect((await api(server, 'POST', '/api/auth/activate', { body: { token } })).status).toBe(200);
    const again = await api(server, 'POST', '/api/auth/activate', { body: { token } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses an expired token and a new mail makes a working one', async () => {
    const arrived = nextMail();
    await api(server, 'POST', '/api/auth/register', { body: person });
    await arrived;
    const user = await server.context.users.byEmail(person.email);
    if (!user) throw new Error('user was not stored');
    const expired = await server.context.tokens.issue(user.id, 'activation', -1);
    const response = await api(server, 'POST', '/api/auth/activate', { body: { token: expired } });
    expect(response.status).toBe(410);
    expect(response.body).toMatchObject({ error: 'token_expired' });

    const resent = nextMail();
    expect((await api(server, 'POST', '/api/auth/resend', { body: { email: person.email } })).status).toBe(200);
    await resent;
    expect(inbox).toHaveLength(2);
    const fresh = tokenOf(linkInMail(inbox[1].text ?? '', 'activate'));
    expect((await api(server, 'POST', '/api/auth/activate', { body: { token: fresh } })).status).toBe(200);
  });

  it('rate limits resending the activation mail', async () => {
    const arrived = nextMail();
    await api(server, 'POST', '/api/auth/register', { body: person });
    await arrived;
    // Registration counted once; the default allows 3 mails an hour per address.
    for (let i = 0; i < 2; i++) {
      expect((await api(server, 'POST', '/api/auth/resend', { body: { email: person.email } })).status).toBe(200);
    }
    const limited = await api(server, 'POST', '/api/auth/resend', { body: { email: person.email } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
