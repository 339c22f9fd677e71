/**
 * End-to-end fixtures: people who sign up through the UI, activate from the
 * mail the server wrote to its outbox, and sign in.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { linkFromOutbox } from '../sync-server/testing/outbox-mail.js';
import { E2E_DATA_DIR } from './environment.js';

export interface Person {
  name: string;
  email: string;
  password: string;
}

let counter = 0;

export function newPerson(name: string): Person {
  const unique = `${Date.now().toString(36)}${(++counter).toString(36)}`;
  return { name, email: `${name.toLowerCase().replace(/[^a-z]/g, '')}.${unique}@example.com`, password: 'correct horse battery' };
}

/** The activation link of the newest mail to `email` in the server's outbox. */
export function activationLinkFor(email: string): Promise<string> {
  return linkFromOutbox(E2E_DATA_DIR, email, 'activate');
}

/** The password reset link of the newest mail to `email` in the server's outbox. */
export function resetLinkFor(email: string): Promise<string> {
  return linkFromOutbox(E2E_DATA_DIR, email, 'reset');
}

/** Signs up through the UI and activates from the mail; leaves the page on the sign-in screen. */
export async function signUpAndActivate(page: Page, person: Person): Promise<void> {
  await page.goto('/');
  await page.getByTestId('goto-signup').click();
  await page.getByTestId('signup-name').fill(person.name);
  await page.getByTestId('signup-email').fill(person.email);
  await page.getByTestId('signup-password').fill(person.password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('check-mail')).toBeVisible();

  const link = new URL(await activationLinkFor(person.email));
  await page.goto(link.pathname + link.search);
  await expect(page.getByTestId('activation-result')).toHaveAttribute('data-state', 'activated');
  await page.getByTestId('goto-signin').click();
}

export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(person.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
}

/** A signed-in person in a browser context of their own. */
export interface PersonInBrowser {
  person: Person;
  context: BrowserContext;
  page: Page;
}

/** A fresh browser context (its own cookies and IndexedDB) with a signed-up, signed-in person. */
export async function personInNewContext(browser: Browser, name: string, viewport = { width: 1280, height: 800 }): Promise<PersonInBrowser> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const person = newPerson(name);
  await signUpAndActivate(page, person);
  await signIn(page, person);
  return { person, context, page };
}

/**
 * Makes two signed-in people friends through the API, each with their own
 * browser context's cookies (the friends UI has its own spec).
 */
export async function befriend(a: { page: Page; person: Person }, b: { page: Page; person: Person }): Promise<void> {
  const origin = new URL(a.page.url()).origin;
  const sent = await a.page.request.post('/api/friends/requests', { data: { email: b.person.email, note: 'hi' }, headers: { origin } });
  expect(sent.status()).toBe(201);
  const { id } = (await sent.json()) as { id: string };
  const accepted = await b.page.request.post(`/api/friends/requests/${id}/accept`, { headers: { origin } });
  expect(accepted.status()).toBe(200);
}

/** Starts (or reopens) the direct conversation with `other` (a friend) and waits for its chat view. */
export async function startDirectChat(page: Page, other: Person): Promise<void> {
  await page.getByTestId('new-conversation-email').fill(other.email);
  await page.getByTestId('new-conversation-submit').click();
  await expect(page.getByTestId('conversation-title')).toHaveText(other.name);
}

/**
 * Alice and Bob, each in a new browser context, made friends; Alice has their
 * direct chat open. With `firstMessage`, she has sent it and it is delivered.
 */
export async function aliceAndBobInDirectChat(browser: Browser, firstMessage?: string): Promise<{ alice: PersonInBrowser; bob: PersonInBrowser }> {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  if (firstMessage !== undefined) {
    await send(alice.page, firstMessage);
    await expect(alice.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
  }
  return { alice, bob };
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

/** The texts of the messages on screen, in display order. */
export function messageTexts(page: Page) {
  return page.getByTestId('message-text');
}
