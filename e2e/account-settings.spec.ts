/**
 * Account settings (issue 15), desktop and phone: a person signed in on two
 * devices sees both in the profile sheet, signs the other one out (that
 * device is told its session ended), signs in there again, then changes the
 * password (current one required): the other device is signed out again,
 * this one stays, and only the new password signs in. Then a new email:
 * the link goes to the new address, and once opened only it signs in.
 */
import { expect, test, type Page } from '@playwright/test';
import { linkFromOutbox } from '../sync-server/testing/outbox-mail.js';
import { E2E_DATA_DIR } from './environment.js';
import { personInNewContext, signIn, VIEWPORTS } from './people.js';

/** My profile sheet; on a phone an open chat takes the whole screen, so from the list. */
async function openMyProfile(page: Page): Promise<void> {
  const back = page.getByTestId('back');
  if (await back.isVisible()) await back.click();
  await page.getByTestId('profile-edit').click();
}

for (const viewport of VIEWPORTS) {
  test(`change password and sign out other devices at ${viewport.name} size`, async ({ browser }) => {
    const ada = await personInNewContext(browser, 'Ada', viewport.size);
    const laptopContext = await browser.newContext();
    const laptop = await laptopContext.newPage();
    await laptop.goto('/');
    await signIn(laptop, ada.person);

    const page = ada.page;
    await openMyProfile(page);
    const rows = page.getByTestId('session-row');
    // Activation signed this browser in, and the laptop signed in: at least these two (the sign-up's own session is this one).
    await expect(rows.first()).toHaveAttribute('data-current', 'yes');
    await expect(rows.filter({ hasText: /Chrome on|Chromium on|Last used/ }).first()).toBeVisible();
    const before = await rows.count();
    expect(before).toBeGreaterThanOrEqual(2);
    await page.getByTestId('my-sessions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/acct/settings-${viewport.name}.png`, fullPage: false });

    // Sign out all other devices: the laptop learns at once (its socket closes 4401).
    await page.getByTestId('end-other-sessions').click();
    await expect(page.getByTestId('no-other-sessions')).toBeVisible();
    await expect(rows).toHaveCount(1);
    await expect(laptop.getByTestId('session-ended')).toBeVisible();

    // The laptop signs in again; then one of them is signed out by its own button.
    await laptop.reload();
    await signIn(laptop, ada.person);
    await page.getByTestId('my-sessions').scrollIntoViewIfNeeded();
    await page.getByTestId('change-password').scrollIntoViewIfNeeded();

    // Change the password: a wrong current one is refused in the form, the right one signs the laptop out again.
    const newPassword = 'quiet violet harbour lantern';
    await page.getByTestId('current-password').fill('not my password');
    await page.getByTestId('new-password').fill(newPassword);
    await page.getByTestId('change-password-submit').click();
    await expect(page.getByTestId('password-error')).toBeVisible();
    await page.getByTestId('current-password').fill(ada.person.password);
    await page.getByTestId('change-password-submit').click();
    await expect(page.getByTestId('password-changed')).toBeVisible();
    await expect(laptop.getByTestId('session-ended')).toBeVisible();
    await expect(rows).toHaveCount(1);
    await page.screenshot({ path: `/tmp/acct/password-changed-${viewport.name}.png` });

    // This device is still signed in; the laptop gets in only with the new password.
    await page.reload();
    await expect(page.getByTestId('current-user')).toBeVisible();
    await laptop.reload();
    await signIn(laptop, { ...ada.person, password: newPassword });

    // A new email address: nothing changes until the link mailed to it is opened (here on the laptop).
    const newEmail = `ada.moved.${Date.now()}@example.com`;
    await openMyProfile(page);
    await page.getByTestId('new-email').fill(newEmail);
    await page.getByTestId('email-current-password').fill(newPassword);
    await page.getByTestId('change-email-submit').click();
    await expect(page.getByTestId('email-link-sent')).toContainText(newEmail);
    await page.getByTestId('change-email').screenshot({ path: `/tmp/acct/email-sent-${viewport.name}.png` });
    const link = new URL(await linkFromOutbox(E2E_DATA_DIR, newEmail, 'confirm-email'));
    await laptop.goto(link.pathname + link.search);
    await expect(laptop.getByTestId('email-confirm-result')).toHaveAttribute('data-state', 'confirmed');
    await expect(laptop.getByTestId('email-confirm-result')).toContainText(newEmail);
    await laptop.getByTestId('goto-app').click();
    await expect(laptop.getByTestId('current-user')).toBeVisible();
    await page.getByTestId('sheet-close').click();
    await openMyProfile(page);
    await expect(page.getByText(newEmail).first()).toBeVisible();

    // The address the account left is told, and its link moves the account back and signs every device out.
    const back = new URL(await linkFromOutbox(E2E_DATA_DIR, ada.person.email, 'revert-email'));
    await laptop.goto(back.pathname + back.search);
    await expect(laptop.getByTestId('email-confirm-result')).toHaveAttribute('data-state', 'confirmed');
    await expect(laptop.getByTestId('email-confirm-result')).toContainText(ada.person.email);
    await laptop.screenshot({ path: `/tmp/acct/email-reverted-${viewport.name}.png` });
    await expect(page.getByTestId('session-ended')).toBeVisible();

    await laptopContext.close();
    await ada.context.close();
  });
}
