/**
 * Password reset: "Forgot your password?" on the sign-in screen, the link
 * from the mail, a new password; the old one stops working, the link works
 * once, and the person's other sessions end.
 */
import { expect, test, type Page } from '@playwright/test';
import { newPerson, type Person, personInNewContext, resetLinkFor, signIn, signUpAndActivate } from './people.js';

async function signInFails(page: Page, person: Person, password: string) {
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('Wrong email or password');
}

async function choosePassword(page: Page, password: string, confirm = password) {
  await page.getByTestId('reset-password').fill(password);
  await page.getByTestId('reset-password-confirm').fill(confirm);
  await page.getByTestId('reset-submit').click();
}

test('a forgotten password is reset from the mailed link, once', async ({ browser }, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const person = newPerson('Rosa');
  await signUpAndActivate(page, person);
  // The same person on another device stays signed in until the reset.
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const phonePage = await phone.newPage();
  await phonePage.goto('/');
  await signIn(phonePage, person);

  await page.getByTestId('signout').click();
  await expect(page.getByTestId('signin-email')).toBeVisible();
  await page.getByTestId('forgot-password').click();
  await page.getByTestId('reset-request-email').fill(person.email);
  await page.getByTestId('reset-request-submit').click();
  await expect(page.getByTestId('reset-request-sent')).toContainText('If an account exists');
  await page.screenshot({ path: testInfo.outputPath('reset-requested.png') });

  const link = new URL(await resetLinkFor(person.email));
  await page.goto(link.pathname + link.search);
  // Two different passwords never reach the server; a short one is refused there and the link stays usable.
  await choosePassword(page, 'new password one', 'new password two');
  await expect(page.getByTestId('form-error')).toContainText('not the same');
  await choosePassword(page, 'short');
  await expect(page.getByTestId('reset-result')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('reset-result')).toContainText('at least 8 characters');
  await page.screenshot({ path: testInfo.outputPath('reset-refused.png') });

  const newPassword = 'a brand new passphrase';
  await choosePassword(page, newPassword);
  await expect(page.getByTestId('reset-result')).toHaveAttribute('data-state', 'done');
  await expect(phonePage.getByTestId('session-ended')).toBeVisible();

  await page.getByTestId('goto-signin').click();
  await expect(page).toHaveURL(/\/$/);
  await signInFails(page, person, person.password);
  await signIn(page, { ...person, password: newPassword });

  // The link was used: opening it again says so, and the person stays signed in.
  await page.goto(link.pathname + link.search);
  await choosePassword(page, 'yet another password');
  await expect(page.getByTestId('reset-result')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('reset-result')).toContainText('not valid or has already been used');
  await expect(page.getByTestId('reset-submit')).toHaveCount(0);
  await page.getByTestId('goto-signin').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);

  await phone.close();
  await context.close();
});

test('a reset request answers the same for an unknown address', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('signin-email').fill(`nobody.${Date.now()}@example.com`);
  await page.getByTestId('forgot-password').click();
  // Prefilled from the sign-in form.
  await expect(page.getByTestId('reset-request-email')).toHaveValue(/^nobody\./);
  await page.getByTestId('reset-request-submit').click();
  await expect(page.getByTestId('reset-request-sent')).toContainText('If an account exists');
});

test('resetting while signed in on this browser asks to sign in again over the chats', async ({ browser }) => {
  const { person, context, page } = await personInNewContext(browser, 'Ines');
  const origin = new URL(page.url()).origin;
  expect((await page.request.post('/api/auth/reset-request', { data: { email: person.email }, headers: { origin } })).status()).toBe(200);
  const link = new URL(await resetLinkFor(person.email));
  await page.goto(link.pathname + link.search);
  const newPassword = 'another new passphrase';
  await choosePassword(page, newPassword);
  await expect(page.getByTestId('reset-result')).toHaveAttribute('data-state', 'done');

  await page.getByTestId('goto-signin').click();
  await expect(page.getByTestId('signin-email')).toHaveValue(person.email);
  await page.getByTestId('signin-password').fill(newPassword);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
  await expect(page.getByTestId('session-ended')).toHaveCount(0);
  await context.close();
});
