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

/**
 * The chat header on a phone, as in mobile chats: back, picture, a readable
 * name, and every action one tap away (the rarer ones behind "More").
 * Screenshots (SHOTS, default /tmp/chat-header) at 360×740 and 1280×800.
 */
test('on a phone the chat header shows the whole name and reaches every action', async ({ browser }) => {
  const shots = process.env.SHOTS ?? '/tmp/chat-header';
  const phone = await personInNewContext(browser, 'Alice', { width: 360, height: 740 }, { hasTouch: true, isMobile: true });
  const desk = await personInNewContext(browser, 'Maximilian Berg');
  await befriend(phone, desk);
  const page = phone.page;
  const title = page.getByTestId('conversation-title');

  // A direct chat with a long-ish name: the name shows in full, the picture beside it.
  await startDirectChat(page, desk.person);
  await page.getByTestId('composer-input').fill('Hi');
  await page.getByTestId('composer-send').tap();
  await expect(page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
  await page.screenshot({ path: `${shots}/phone-direct.png` });
  const fits = () => title.evaluate((element) => element.scrollWidth <= element.clientWidth);
  expect(await fits()).toBe(true);
  await expect(page.locator('chat-view header person-avatar')).toBeVisible();

  // Every action is on screen, or in the "More" menu, which Escape closes back onto its button.
  const reachable = async (testIds: string[]) => {
    const more = page.getByTestId('header-more');
    for (const id of testIds) {
      const action = page.getByTestId(id);
      if (await action.isVisible()) continue;
      await more.click();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      await expect(action).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(more).toHaveAttribute('aria-expanded', 'false');
      await expect(more).toBeFocused();
      await expect(action).toBeHidden();
    }
  };
  await expect(page.getByTestId('mute-toggle')).toHaveCount(1);
  const notify = (await page.getByTestId('notifications-enable').count()) > 0 ? ['notifications-enable'] : [];
  await reachable(['back', 'peer-profile', 'conversation-search', 'mute-toggle', ...notify]);
  await page.getByTestId('header-more').click();
  await page.screenshot({ path: `${shots}/phone-direct-more.png` });
  // Choosing an action closes the menu.
  await page.getByTestId('mute-toggle').click();
  await expect(page.getByTestId('header-more')).toHaveAttribute('aria-expanded', 'false');

  // A group.
  await page.getByTestId('back').click();
  await page.getByTestId('group-create').click();
  await page.getByTestId('group-title-input').fill('Weekend climbing');
  await page.getByTestId('group-member-option').filter({ hasText: 'Maximilian Berg' }).click();
  await page.getByTestId('group-create-submit').click();
  await expect(title).toHaveText('Weekend climbing');
  await page.screenshot({ path: `${shots}/phone-group.png` });
  expect(await fits()).toBe(true);
  await reachable(['back', 'group-info', 'conversation-search', 'mute-toggle', ...notify]);

  // The desktop header: everything in a row, no "More".
  await desk.page.getByTestId('conversation-item').filter({ hasText: 'Weekend climbing' }).click();
  await expect(desk.page.getByTestId('conversation-title')).toHaveText('Weekend climbing');
  await expect(desk.page.getByTestId('group-info')).toBeVisible();
  await expect(desk.page.getByTestId('mute-toggle')).toBeVisible();
  await expect(desk.page.getByTestId('header-more')).toBeHidden();
  await desk.page.screenshot({ path: `${shots}/desktop-group.png` });
  await desk.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(desk.page.getByTestId('conversation-title')).toHaveText('Alice');
  await desk.page.screenshot({ path: `${shots}/desktop-direct.png` });

  await phone.context.close();
  await desk.context.close();
});
