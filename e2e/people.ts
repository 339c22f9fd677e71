/**
 * End-to-end fixtures: people who sign up (through the UI, or through the
 * same API calls the sign-up page makes), activate from the mail the server
 * wrote to its outbox, and sign in.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { linkFromOutbox, tokenOf } from '../sync-server/testing/outbox-mail.js';
import { E2E_BASE_URL, E2E_DATA_DIR } from './environment.js';

export interface Person {
  name: string;
  email: string;
  password: string;
}

let counter = 0;
/**
 * Which Playwright worker made the person: each worker counts from 0, so with two workers
 * the time and count alone could give two people of one name the same address in one millisecond.
 */
const workerTag = `w${process.env.TEST_PARALLEL_INDEX ?? process.pid}`;

export function newPerson(name: string): Person {
  const unique = `${Date.now().toString(36)}.${(++counter).toString(36)}.${workerTag}`;
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

/** How a context is made: its window size and, for a touch screen, a phone or the browser's language, its device settings. */
type DeviceSettings = { hasTouch?: boolean; isMobile?: boolean; locale?: string };

/**
 * A fresh browser context (its own cookies and IndexedDB) with a signed-up, signed-in person; `device` for a touch screen or a phone, or the browser's language.
 * The account is made by the two calls the sign-up and activation pages make (register, then activate from the
 * outbox mail, which signs in), sent from the context with the browser's languages and user agent, and the app is
 * then opened signed in: through the pages a person took 7-11 s at load 15 (3-6.5 s so), and most specs are about what comes after.
 * The sign-up pages themselves are driven by foundation.spec.ts (personSignedUpThroughUi), invite-sign-up,
 * localization, password-reset and password-strength.
 */
export async function personInNewContext(
  browser: Browser,
  name: string,
  viewport = { width: 1280, height: 800 },
  device: DeviceSettings = {},
): Promise<PersonInBrowser> {
  const context = await browser.newContext({ viewport, ...device });
  const page = await context.newPage();
  const person = newPerson(name);
  await registerAndActivate(page, person);
  await page.goto('/');
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
  return { person, context, page };
}

/** personInNewContext with the sign-up and activation pages driven as a person would (signUpAndActivate). */
export async function personSignedUpThroughUi(
  browser: Browser,
  name: string,
  viewport = { width: 1280, height: 800 },
  device: DeviceSettings = {},
): Promise<PersonInBrowser> {
  const context = await browser.newContext({ viewport, ...device });
  const page = await context.newPage();
  const person = newPerson(name);
  await signUpAndActivate(page, person);
  return { person, context, page };
}

/**
 * Registers and activates `person` through the API from `page`'s context: the context's cookie jar keeps the
 * session cookie activation sets, and the server reads the same language and device name the pages would send.
 */
async function registerAndActivate(page: Page, person: Person): Promise<void> {
  const browserSays = await page.evaluate(() => ({ languages: navigator.languages.join(','), userAgent: navigator.userAgent }));
  const headers = { origin: E2E_BASE_URL, 'accept-language': browserSays.languages, 'user-agent': browserSays.userAgent };
  const request = page.context().request;
  const registered = await request.post(`${E2E_BASE_URL}/api/auth/register`, {
    headers,
    data: { name: person.name, email: person.email, password: person.password },
  });
  if (registered.status() !== 201) throw new Error(`register ${person.email}: ${registered.status()} ${await registered.text()}`);
  const token = tokenOf(await activationLinkFor(person.email));
  const activated = await request.post(`${E2E_BASE_URL}/api/auth/activate`, { headers, data: { token } });
  if (activated.status() !== 200) throw new Error(`activate ${person.email}: ${activated.status()} ${await activated.text()}`);
}
