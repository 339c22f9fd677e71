/**
 * People for the engines suite: one who signs up, activates and signs in
 * through the UI in the engine under test, and a Chromium peer made through
 * the API (Chromium's own flows have the main e2e suite).
 */
import type { Browser, Page } from '@playwright/test';
import { linkFromOutbox } from '../../sync-server/testing/outbox-mail.js';
import { api } from '../../sync-server/testing/api-call.js';
import { createUser, type TestUser } from '../../sync-server/testing/test-users.js';
import type { EnginePage } from './engine-browser.js';
import type { EngineServer } from './engine-server.js';
import { expect, until } from './engine-test.js';

export interface Person {
  name: string;
  email: string;
  password: string;
}

let counter = 0;

export function newPerson(name: string): Person {
  const unique = `${Date.now().toString(36)}${(++counter).toString(36)}`;
  return { name, email: `${name.toLowerCase()}.${unique}@example.com`, password: 'correct horse battery' };
}

/**
 * Sign up → the mail → activate (which signs the person in) → sign out →
 * sign in with the password, all through the UI of `page`.
 */
export async function signUpActivateSignIn(page: EnginePage, server: EngineServer, person: Person): Promise<void> {
  await page.goto(`${server.url}/`);
  await until(page, 'the sign-up form opens', `click('goto-signup'); return true;`);
  await until(
    page,
    'the sign-up form is filled and sent',
    `
    fill('signup-name', args.name); fill('signup-email', args.email); fill('signup-password', args.password);
    click('signup-submit'); return true;`,
    person,
  );
  await until(page, 'check your mail shows', `return visible(one('check-mail'));`);

  const link = new URL(await linkFromOutbox(server.dataDir, person.email, 'activate'));
  await page.goto(server.url + link.pathname + link.search);
  await until(page, 'the account is activated', `return one('activation-result').dataset.state === 'activated';`);
  await until(page, 'the app opens', `click('activation-continue'); return true;`);
  await until(page, 'the person is signed in', `return text(one('current-user')) === args.name;`, person);

  await until(page, 'the person signs out', `click('signout'); return true;`);
  await until(
    page,
    'the sign-in form is filled and sent',
    `
    fill('signin-email', args.email); fill('signin-password', args.password); click('signin-submit'); return true;`,
    person,
  );
  await until(page, 'the person is signed in again', `return text(one('current-user')) === args.name;`, person);
}

/** A Chromium page signed in (by session cookie) as a new person made through the API. */
export async function chromiumPeer(
  browser: Browser,
  server: EngineServer,
  name: string,
): Promise<{ user: TestUser; page: Page; close(): Promise<void> }> {
  const user = await createUser({ url: server.url, dataDir: server.dataDir }, name);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [cookieName, ...value] = user.cookie.split('=');
  if (!cookieName) throw new Error('no session cookie');
  await context.addCookies([{ name: cookieName, value: value.join('='), url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect(page.getByTestId('current-user')).toHaveText(name);
  return { user, page, close: () => context.close() };
}

/** The Chromium peer asks, the engine's person accepts in their page (their own cookie, their own Origin). */
export async function befriend(page: EnginePage, server: EngineServer, peer: TestUser, person: Person): Promise<void> {
  const sent = await api<{ id: string }>({ url: server.url, dataDir: server.dataDir }, 'POST', '/api/friends/requests', {
    cookie: peer.cookie,
    body: { email: person.email, note: 'hi' },
  });
  expect(sent.status).toBe(201);
  const status = await page.run<number>(
    `
    const response = await fetch('/api/friends/requests/' + args.id + '/accept', { method: 'POST' });
    return response.status;`,
    { id: sent.body.id },
  );
  expect(status).toBe(200);
}

/** Types `text` into the composer of `page` and presses Send. */
export async function sendFrom(page: EnginePage, text: string): Promise<void> {
  await until(page, `"${text}" is sent`, `fill('composer-input', args.text); click('composer-send'); return true;`, { text });
}

/** The messages on `page`'s screen, in order: [state, text]. */
export function messagesOn(page: EnginePage): Promise<{ state: string; text: string }[]> {
  return page.run(`return messages();`);
}
