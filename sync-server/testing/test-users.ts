/**
 * People for tests, made the way people are made: registered through the
 * real API, activated from the real outbox mail, signed in for a session
 * cookie.
 */
import type { Me } from '../../shared/api.js';
import type { RunningServer } from '../server.js';
import { api } from './api-call.js';
import { linkFromOutbox, tokenOf } from './outbox-mail.js';
import { addressOf, type ServerAddress } from './server-address.js';

export interface TestUser extends Me {
  password: string;
  cookie: string;
}

let userCounter = 0;

/** Registers, activates (from the outbox mail) and signs in a new person. */
export async function createUser(server: ServerAddress | RunningServer, name = `Person ${++userCounter}`): Promise<TestUser> {
  const email = `user${Date.now()}${++userCounter}@example.com`;
  const password = 'correct horse battery';
  const registered = await api(server, 'POST', '/api/auth/register', { body: { name, email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const link = await linkFromOutbox(addressOf(server).dataDir, email, 'activate');
  const activated = await api(server, 'POST', '/api/auth/activate', { body: { token: tokenOf(link) } });
  if (activated.status !== 200) throw new Error(`activate failed: ${activated.status}`);
  return signIn(server, email, password);
}

/** Signs in with the password and keeps the session cookie. */
export async function signIn(server: ServerAddress | RunningServer, email: string, password: string): Promise<TestUser> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  const me = (await response.json()) as Me;
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  return { ...me, password, cookie };
}
