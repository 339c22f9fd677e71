/**
 * The walking skeleton: two people sign up through the UI, activate from
 * the mail, sign in in two browser contexts, and chat both ways.
 */
import { expect, test } from '@playwright/test';
import { messageTexts, send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personSignedUpThroughUi } from './people.js';

test('two people register, activate, sign in and chat both ways', async ({ browser }, testInfo) => {
  const alice = await personSignedUpThroughUi(browser, 'Alice');
  // Bob is on a phone-sized screen.
  const bob = await personSignedUpThroughUi(browser, 'Bob', { width: 375, height: 740 });

  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'Hi Bob! 👋');

  // Bob sees the conversation appear in his list, live.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['Hi Bob! 👋']);

  // Shift+Enter breaks the line; Enter sends.
  await bob.page.getByTestId('composer-input').fill('Hello Alice,');
  await bob.page.getByTestId('composer-input').press('Shift+Enter');
  await bob.page.getByTestId('composer-input').pressSequentially('你好!');
  await bob.page.getByTestId('composer-input').press('Enter');

  await expect(messageTexts(alice.page)).toHaveText(['Hi Bob! 👋', 'Hello Alice,\n你好!']);
  await expect(messageTexts(bob.page)).toHaveText(['Hi Bob! 👋', 'Hello Alice,\n你好!']);
  await expect(alice.page.getByTestId('message').last()).toHaveAttribute('data-state', 'delivered');
  await expect(bob.page.getByTestId('message').first()).toHaveAttribute('data-state', 'delivered');

  await alice.page.screenshot({ path: testInfo.outputPath('alice-desktop.png') });
  await bob.page.screenshot({ path: testInfo.outputPath('bob-phone.png') });

  // Signing out ends the session on the server too.
  await alice.page.getByTestId('signout').click();
  await expect(alice.page.getByTestId('signin-email')).toBeVisible();
  const me = await alice.page.request.get('/api/me');
  expect(me.status()).toBe(401);

  await alice.context.close();
  await bob.context.close();
});

test('signing in before activating says so, and wrong passwords are refused', async ({ page }) => {
  const email = `early.${Date.now()}@example.com`;
  await page.goto('/');
  await page.getByTestId('goto-signup').click();
  await page.getByTestId('signup-name').fill('Early');
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('short');
  await page.getByTestId('signup-submit').click();
  // The browser's own minlength check or our message: either way no account yet.
  await page.getByTestId('signup-password').fill('long enough password');
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('check-mail')).toBeVisible();
  await page.getByTestId('goto-signin').click();

  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill('long enough password');
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('not activated');

  await page.getByTestId('signin-password').fill('wrong password!!');
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('Wrong email or password');
});
