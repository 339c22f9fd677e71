/**
 * A session that ends while the person is offline (issue 3): no error while
 * offline; back online, the app asks them to sign in again and keeps the
 * unsent message; signed in again as the same person, it is delivered once.
 * Signing in as someone else on that browser never sends it under their name.
 */
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { E2E_BASE_URL } from './environment.js';
import { messageTexts, send } from './chat-page.js';
import { aliceAndBobInDirectChat } from './direct-chat.js';
import type { Person } from './people.js';

/**
 * Ends the browser's session on the server, as an expiry would: from a
 * separate request context holding the same cookie, so the browser keeps its
 * (now dead) cookie.
 */
async function endSessionOnServer(request: { newContext(options: object): Promise<APIRequestContext> }, context: BrowserContext) {
  const elsewhere = await request.newContext({ baseURL: E2E_BASE_URL, storageState: await context.storageState() });
  expect((await elsewhere.post('/api/auth/logout', { headers: { origin: E2E_BASE_URL } })).status()).toBe(204);
  expect((await elsewhere.get('/api/me')).status()).toBe(401);
  await elsewhere.dispose();
}

async function signInAgain(page: import('@playwright/test').Page, person: Person) {
  await page.getByTestId('session-ended').getByRole('button', { name: 'Sign in again' }).click();
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(person.password);
  await page.getByTestId('signin-submit').click();
}

test('the session ends while offline: sign in again, the pending message is delivered once', async ({ browser, playwright }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'hello');

  await alice.context.setOffline(true);
  await send(alice.page, 'written in the tunnel');
  const pending = alice.page.locator('[data-testid="message"][data-state="pending"]');
  await expect(pending).toHaveCount(1);
  await endSessionOnServer(playwright.request, alice.context);
  // Offline, nothing is wrong yet.
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await expect(alice.page.getByTestId('session-ended')).toHaveCount(0);

  await alice.context.setOffline(false);
  await expect(alice.page.getByTestId('session-ended')).toBeVisible();
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'session-ended');
  await expect(pending).toHaveCount(1);

  await signInAgain(alice.page, alice.person);
  await expect(alice.page.getByTestId('session-ended')).toHaveCount(0);
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');

  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['hello', 'written in the tunnel']);
  await expect(bob.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);

  await alice.context.close();
  await bob.context.close();
});

test('someone else signing in on that browser never sends the first person’s pending message', async ({ browser, playwright }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'hello');

  await alice.context.setOffline(true);
  await send(alice.page, 'only Alice may send this');
  await expect(alice.page.locator('[data-testid="message"][data-state="pending"]')).toHaveCount(1);
  await endSessionOnServer(playwright.request, alice.context);
  await alice.context.setOffline(false);
  await expect(alice.page.getByTestId('session-ended')).toBeVisible();

  // Bob, a member of that very conversation, signs in on Alice's browser.
  await signInAgain(alice.page, bob.person);
  await expect(alice.page.getByTestId('current-user')).toHaveText('Bob');
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(alice.page)).toHaveText(['hello']);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');

  // A later message through the same path: had Alice's pending one been sent, it would have arrived before this one.
  const marker = 'Bob, on Alice’s browser';
  await send(alice.page, marker);
  await expect(alice.page.getByTestId('message').filter({ hasText: marker })).toHaveAttribute('data-state', 'delivered');
  await expect(messageTexts(alice.page)).toHaveText(['hello', marker]);
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['hello', marker]);
  const aliceAgain = await browser.newContext();
  const page = await aliceAgain.newPage();
  await page.goto('/');
  await page.getByTestId('signin-email').fill(alice.person.email);
  await page.getByTestId('signin-password').fill(alice.person.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
  await expect(messageTexts(page)).toHaveText(['hello', marker]);

  await aliceAgain.close();
  await alice.context.close();
  await bob.context.close();
});
