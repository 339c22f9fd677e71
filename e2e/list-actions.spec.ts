/**
 * Conversation list actions (issue 15): pin on top, archive (a new message
 * leaves it archived), unarchive, mark unread. They are the person's own
 * (`listState` of their user document), so their other device shows them at
 * once; reachable by keyboard (Shift+F10, the "More" button's menu), mouse,
 * and touch (a long press, the "More" button) at phone size.
 */
import { expect, test, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, signIn } from './people.js';

const SHOTS = process.env.SHOTS ?? '/tmp/shots';

function row(page: Page, title: string) {
  return page.locator('li').filter({ has: page.getByTestId('conversation-item').getByText(title, { exact: true }) });
}

function robotRow(page: Page) {
  return page.locator('li').filter({ has: page.locator('button[data-kind="robot"]') });
}

/** The list's titles in order. */
async function titles(page: Page): Promise<string[]> {
  return (await page.getByTestId('conversation-item').allTextContents()).map((t) => t.trim());
}

function action(page: Page, name: string) {
  return page.locator(`[data-testid="conversation-action"][data-action="${name}"]`);
}

test('pin, archive, unarchive and mark unread, by keyboard and mouse, on two devices of one person (1280×800)', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'hi Bob');
  // Alice's other device, signed in to the same account.
  const second = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await second.newPage();
  await other.goto('/');
  await signIn(other, alice.person);
  const robotTitle = (await robotRow(alice.page).getByTestId('conversation-item').textContent())?.trim() ?? '';
  await expect.poll(() => titles(alice.page)).toEqual(['Bob', robotTitle]);

  // Keyboard: Shift+F10 on the robot's row opens its menu on "Pin to top".
  await robotRow(alice.page).locator('button.row').focus();
  await alice.page.keyboard.press('Shift+F10');
  await expect(action(alice.page, 'pin')).toBeFocused();
  await alice.page.screenshot({ path: `${SHOTS}/list-menu-1280.png` });
  await alice.page.keyboard.press('Enter');
  await expect.poll(() => titles(alice.page)).toEqual([robotTitle, 'Bob']);
  await expect(robotRow(alice.page).getByTestId('pinned-mark')).toBeVisible();
  await expect(robotRow(alice.page).getByTestId('conversation-menu')).toBeFocused();
  // The other device: the same pin.
  await expect.poll(() => titles(other)).toEqual([robotTitle, 'Bob']);

  // Mouse: Bob's "More" button, then Archive.
  await row(alice.page, 'Bob').hover();
  await row(alice.page, 'Bob').getByTestId('conversation-menu').click();
  await action(alice.page, 'archive').click();
  await expect(row(alice.page, 'Bob')).toHaveCount(0);
  await expect(alice.page.getByTestId('archived-entry')).toBeVisible();
  await expect(other.getByTestId('archived-entry')).toBeVisible();
  await expect(row(other, 'Bob')).toHaveCount(0);

  // Alice looks at the robot's conversation (Bob's is not open, so what he writes stays unread).
  await robotRow(alice.page).locator('button.row').click();
  await expect(alice.page.getByTestId('conversation-title')).toHaveText(robotTitle);
  await expect(robotRow(alice.page).getByTestId('unread-badge')).toHaveCount(0);
  // Bob writes: the conversation stays archived; the Archived row counts it.
  await startDirectChat(bob.page, alice.person);
  await send(bob.page, 'still there?');
  await expect(alice.page.getByTestId('archived-unread')).toHaveText('1');
  await expect(row(alice.page, 'Bob')).toHaveCount(0);
  await alice.page.screenshot({ path: `${SHOTS}/list-archived-entry-1280.png` });

  // The Archived section, and Unarchive from there.
  await alice.page.getByTestId('archived-entry').click();
  await expect(row(alice.page, 'Bob').getByTestId('unread-badge')).toHaveText('1');
  await expect(robotRow(alice.page)).toHaveCount(0);
  await alice.page.screenshot({ path: `${SHOTS}/list-archived-1280.png` });
  await row(alice.page, 'Bob').getByTestId('conversation-menu').click();
  await action(alice.page, 'unarchive').click();
  await expect(alice.page.getByTestId('archived-entry')).toHaveCount(0);
  await expect.poll(() => titles(alice.page)).toEqual([robotTitle, 'Bob']);
  await expect.poll(() => titles(other)).toEqual([robotTitle, 'Bob']);

  // Mark unread (the robot's conversation, read and open), shown on both devices; opening it again clears the mark everywhere.
  await robotRow(alice.page).getByTestId('conversation-menu').focus();
  await alice.page.keyboard.press('ArrowDown');
  await expect(action(alice.page, 'unpin')).toBeFocused();
  // End reaches Mute, the last item (e2e/list-mute.spec.ts); one up is Mark as unread.
  await alice.page.keyboard.press('End');
  await expect(action(alice.page, 'mute')).toBeFocused();
  await alice.page.keyboard.press('ArrowUp');
  await expect(action(alice.page, 'mark-unread')).toBeFocused();
  await alice.page.keyboard.press('Enter');
  await expect(robotRow(alice.page).getByTestId('unread-mark')).toBeVisible();
  await expect(robotRow(other).getByTestId('unread-mark')).toBeVisible();
  await row(alice.page, 'Bob').locator('button.row').click();
  await expect(alice.page.getByTestId('conversation-title')).toHaveText('Bob');
  await expect(robotRow(alice.page).getByTestId('unread-mark')).toBeVisible();
  await robotRow(alice.page).locator('button.row').click();
  await expect(robotRow(alice.page).getByTestId('unread-mark')).toHaveCount(0);
  await expect(robotRow(other).getByTestId('unread-mark')).toHaveCount(0);

  // Escape closes a menu with focus back on its button; unpin.
  await robotRow(alice.page).getByTestId('conversation-menu').click();
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByTestId('conversation-menu-items')).toHaveCount(0);
  await expect(robotRow(alice.page).getByTestId('conversation-menu')).toBeFocused();
  await alice.page.keyboard.press('Enter');
  await action(alice.page, 'unpin').click();
  await expect(robotRow(alice.page).getByTestId('pinned-mark')).toHaveCount(0);
  await expect.poll(() => titles(other)).toEqual(['Bob', robotTitle]);

  for (const context of [alice.context, bob.context, second]) await context.close();
});

test('on a phone (360×740, touch): a long press opens the menu, and the "More" button too', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice', { width: 360, height: 740 }, { hasTouch: true, isMobile: true });
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(bob.page, alice.person);
  await send(bob.page, 'hello from Bob');
  const page = alice.page;
  await expect(row(page, 'Bob').getByTestId('unread-badge')).toHaveText('1');
  const robotTitle = (await robotRow(page).getByTestId('conversation-item').textContent())?.trim() ?? '';

  // A finger held on the robot's row opens its menu; lifting it does not open the conversation.
  const box = await robotRow(page).locator('button.row').boundingBox();
  if (!box) throw new Error('the robot row has no box');
  const cdp = await page.context().newCDPSession(page);
  const point = { x: box.x + 80, y: box.y + box.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await expect(action(page, 'pin')).toBeVisible();
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.screenshot({ path: `${SHOTS}/list-menu-360.png` });
  await action(page, 'pin').tap();
  await expect.poll(() => titles(page)).toEqual([robotTitle, 'Bob']);
  await expect(page.getByTestId('conversation-title')).toHaveCount(0);
  // Its menu closed after the action.
  await expect(page.getByTestId('conversation-menu-items')).toHaveCount(0);

  // The "More" button of Bob's row: Archive, then the Archived section and back out.
  await row(page, 'Bob').getByTestId('conversation-menu').tap();
  await action(page, 'archive').tap();
  await expect(page.getByTestId('archived-unread')).toHaveText('1');
  await page.screenshot({ path: `${SHOTS}/list-pinned-archived-360.png` });
  await page.getByTestId('archived-entry').tap();
  await expect(row(page, 'Bob')).toBeVisible();
  await page.getByTestId('archived-back').tap();
  await expect(row(page, 'Bob')).toHaveCount(0);
  // A tap on a row after all this still opens it (no tap eaten by the long press before).
  await robotRow(page).locator('button.row').tap();
  await expect(page.getByTestId('conversation-title')).toHaveText(robotTitle);

  for (const context of [alice.context, bob.context]) await context.close();
});
