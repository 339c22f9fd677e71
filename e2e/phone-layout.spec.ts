/**
 * On a phone, as in mobile chats (issue 15): an open conversation takes the
 * whole screen, with no app bar (Sites, Sign out) above it; Sites and Sign
 * out live in my profile sheet (the "me" screen), reached from the list by
 * my picture. A desktop keeps them in the bar beside an open conversation.
 */
import { expect, test, type Locator } from '@playwright/test';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

test('on a phone a conversation takes the whole screen, and Sites and Sign out are in my profile sheet', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice', { width: 360, height: 740 }, { hasTouch: true, isMobile: true });
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  const page = alice.page;

  // The list: the bar with my picture; Sites and Sign out are not in it.
  await expect(page.getByTestId('profile-edit')).toBeVisible();
  await expect(page.getByTestId('signout')).toHaveCount(0);
  await expect(page.getByTestId('sites-open')).toHaveCount(0);

  // A conversation: from the top of the screen to the bottom, its own header first.
  await startDirectChat(page, bob.person);
  // On a touch screen Enter is a new line: Send sends.
  await page.getByTestId('composer-input').fill('Hi Bob, from my phone');
  await page.getByTestId('composer-send').tap();
  await expect(page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
  await expect(page.getByTestId('profile-edit')).toBeHidden();
  const view = await box(page.locator('chat-view'));
  expect(view.y).toBe(0);
  expect(view.height).toBe(740);
  expect((await box(page.getByTestId('back'))).y).toBeLessThan(20);
  await page.screenshot({ path: '/tmp/ux15/5-chat-full-screen-phone.png' });

  // Back to the list, then "me": Sites opens over it and closes back to it; Sign out signs out.
  await page.getByTestId('back').click();
  await page.getByTestId('profile-edit').click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await expect(page.getByTestId('signout')).toBeVisible();
  await expect(page.getByTestId('sites-open')).toBeVisible();
  await page.screenshot({ path: '/tmp/ux15/5-me-sheet-phone.png' });
  await page.getByTestId('sites-open').click();
  await expect(page.locator('sites-panel')).toBeVisible();
  await page.getByTestId('sheet-close').last().click();
  await expect(page.locator('sites-panel')).toHaveCount(0);
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await page.getByTestId('signout').click();
  await expect(page.getByTestId('signin-email')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);

  // A desktop: the bar stays above an open conversation, with Sites and Sign out.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText('Alice');
  await expect(bob.page.getByTestId('signout')).toBeVisible();
  await expect(bob.page.getByTestId('sites-open')).toBeVisible();
  await expect(bob.page.getByTestId('profile-edit')).toBeVisible();
  await bob.page.screenshot({ path: '/tmp/ux15/5-chat-with-bar-desktop.png' });

  await alice.context.close();
  await bob.context.close();
});
