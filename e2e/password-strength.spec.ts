/**
 * A password that is easy to guess ("12345678") is refused (issue 15): the
 * sign-up and reset forms say why as the person types, and the server
 * refuses it even when the form is bypassed. Desktop and phone sizes.
 */
import { expect, test } from '@playwright/test';
import { newPerson, resetLinkFor, signIn, signUpAndActivate } from './people.js';

const SIZES = [
  { label: 'desktop', viewport: { width: 1280, height: 800 }, hasTouch: false },
  { label: 'phone', viewport: { width: 360, height: 740 }, hasTouch: true },
];
const SHOTS = '/tmp/issue15-shots';

for (const size of SIZES) {
  test(`sign-up says why 12345678 is too easy to guess and refuses it (${size.label})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: size.viewport, hasTouch: size.hasTouch });
    const page = await context.newPage();
    const person = newPerson('Wanda');
    await page.goto('/');
    await page.getByTestId('goto-signup').click();
    await page.getByTestId('signup-name').fill(person.name);
    await page.getByTestId('signup-email').fill(person.email);
    await page.getByTestId('signup-password').fill('12345678');
    const strength = page.getByTestId('password-strength');
    await expect(strength).toHaveAttribute('data-state', 'weak');
    await expect(strength).toContainText('heavily used password');
    await page.screenshot({ path: `${SHOTS}/7-signup-weak-${size.label}.png`, fullPage: true });

    await page.getByTestId('signup-submit').click();
    await expect(page.getByTestId('form-error')).toContainText('too easy to guess');
    await expect(page.getByTestId('check-mail')).toHaveCount(0);

    await page.getByTestId('signup-password').fill(person.password);
    await expect(strength).toHaveAttribute('data-state', 'strong');
    await page.screenshot({ path: `${SHOTS}/7-signup-strong-${size.label}.png`, fullPage: true });
    await page.getByTestId('signup-submit').click();
    await expect(page.getByTestId('check-mail')).toBeVisible();
    await context.close();
  });
}

test('the reset form judges the new password as it is typed, and the link survives a refusal (phone)', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const person = newPerson('Vera');
  await signUpAndActivate(page, person);
  // Activation signed her in; the reset starts from the sign-in screen, as on a device she never used.
  await context.clearCookies();
  await page.goto('/');
  await page.getByTestId('forgot-password').click();
  await page.getByTestId('reset-request-email').fill(person.email);
  await page.getByTestId('reset-request-submit').click();
  await expect(page.getByTestId('reset-request-sent')).toBeVisible();
  const link = new URL(await resetLinkFor(person.email));
  await page.goto(link.pathname + link.search);

  await page.getByTestId('reset-password').fill('password1');
  await expect(page.getByTestId('password-strength')).toHaveAttribute('data-state', 'weak');
  await page.getByTestId('reset-password-confirm').fill('password1');
  await page.getByTestId('reset-submit').click();
  await expect(page.getByTestId('reset-result')).toContainText('too easy to guess');
  await page.screenshot({ path: `${SHOTS}/7-reset-weak-phone.png`, fullPage: true });

  await page.getByTestId('reset-password').fill('quiet lantern morning');
  await expect(page.getByTestId('password-strength')).toHaveAttribute('data-state', 'strong');
  await page.getByTestId('reset-password-confirm').fill('quiet lantern morning');
  await page.getByTestId('reset-submit').click();
  await expect(page.getByTestId('reset-result')).toHaveAttribute('data-state', 'done');
  await page.getByTestId('goto-signin').click();
  await signIn(page, { ...person, password: 'quiet lantern morning' });
  await context.close();
});
