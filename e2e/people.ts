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

/** Signs up through the UI and activates from the mail, which signs the person in (issue 15); leaves the page on their chats. */
export async function signUpAndActivate(page: Page, person: Person): Promise<void> {
  await signUpFrom(page, '/', person);
  await openActivationLink(page, person);
  await page.getByTestId('activation-continue').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
}

/** Opens `path`, goes to sign-up and sends the form; resolves when the page asks the person to check their mail. */
export async function signUpFrom(page: Page, path: string, person: Person): Promise<void> {
  await page.goto(path);
  await page.getByTestId('goto-signup').click();
  await page.getByTestId('signup-name').fill(person.name);
  await page.getByTestId('signup-email').fill(person.email);
  await page.getByTestId('signup-password').fill(person.password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('check-mail')).toBeVisible();
}

/** Follows the activation link from the person's mail; resolves once the page says the account is activated. */
export async function openActivationLink(page: Page, person: Person): Promise<void> {
  const link = new URL(await activationLinkFor(person.email));
  await page.goto(link.pathname + link.search);
  await expect(page.getByTestId('activation-result')).toHaveAttribute('data-state', 'activated');
}

export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(person.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
}

/** The two sizes the specs check: a desktop window and a phone-sized one (still with a mouse). */
export const VIEWPORTS = [
  { name: 'desktop', size: { width: 1280, height: 800 } },
  { name: 'phone', size: { width: 360, height: 740 } },
] as const;

/** The same two sizes, the phone as a phone: a touch screen, no hover (`device` of `personInNewContext`). */
export const TOUCH_VIEWPORTS = [
  { name: 'desktop', size: { width: 1280, height: 800 }, device: {} },
  { name: 'phone', size: { width: 360, height: 740 }, device: { hasTouch: true, isMobile: true } },
] as const;

/** A signed-in person in a browser context of their own. */
export interface PersonInBrowser {
  person: Person;
  context: BrowserContext;
  page: Page;
}

/** A fresh browser context (its own cookies and IndexedDB) with a signed-up, signed-in person; `device` for a touch screen or a phone, or the browser's language. */
export async function personInNewContext(
  browser: Browser,
  name: string,
  viewport = { width: 1280, height: 800 },
  device: { hasTouch?: boolean; isMobile?: boolean; locale?: string } = {},
): Promise<PersonInBrowser> {
  const context = await browser.newContext({ viewport, ...device });
  const page = await context.newPage();
  const person = newPerson(name);
  await signUpAndActivate(page, person);
  return { person, context, page };
}
