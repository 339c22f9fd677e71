/**
 * Message actions stay where they can be reached (issue 15): on a long
 * message whose top is scrolled away, Reply/React open inside the visible
 * part of the list, not under the header, and so does the reaction row.
 * Desktop (hover) and phone (touch, 360×740).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

const LONG_TEXT = Array.from({ length: 45 }, (_, i) => `Line ${i + 1} of a long story`).join('\n');

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** Asserts that `inner` lies inside the visible part of the message list. */
async function expectInsideList(page: Page, inner: Locator) {
  const list = await box(page.locator('chat-message-list'));
  const item = await box(inner);
  expect(item.y).toBeGreaterThanOrEqual(list.y);
  expect(item.y + item.height).toBeLessThanOrEqual(list.y + list.height);
}

test('the actions of a long message open inside the visible list, on a desktop and on a phone', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob', { width: 360, height: 740 }, { hasTouch: true });
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);

  await alice.page.getByTestId('composer-input').fill(LONG_TEXT);
  await alice.page.getByTestId('composer-input').press('Enter');
  await alice.page.getByTestId('composer-input').fill('And a short one after it');
  await alice.page.getByTestId('composer-input').press('Enter');
  const longOn = (p: Page) => p.getByTestId('message').filter({ hasText: 'Line 45 of a long story' });

  // Desktop: the pointer over the long message, whose top is above the visible list.
  await longOn(alice.page).getByText('Line 40 of a long story').hover();
  const aliceReply = longOn(alice.page).getByTestId('message-reply');
  await expect(aliceReply).toBeVisible();
  await expectInsideList(alice.page, aliceReply);
  await alice.page.screenshot({ path: '/tmp/issue15-shots/4-actions-long-message-desktop.png' });

  // Phone: a tap on the part of the message that shows.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).tap();
  await expect(bob.page.getByTestId('message-text').filter({ hasText: 'And a short one after it' })).toBeVisible();
  await longOn(bob.page).getByText('Line 43 of a long story').tap();
  const bobReply = longOn(bob.page).getByTestId('message-reply');
  await expect(bobReply).toBeVisible();
  await expectInsideList(bob.page, bobReply);
  await longOn(bob.page).getByTestId('reaction-add').tap();
  const thumbs = longOn(bob.page).getByTestId('emoji-option').first();
  await expect(thumbs).toBeVisible();
  await expectInsideList(bob.page, thumbs);
  await bob.page.screenshot({ path: '/tmp/issue15-shots/4-reactions-long-message-phone.png' });
  await thumbs.tap();
  await expect(longOn(alice.page).locator('.reaction')).toContainText('1');

  await bob.context.close();
  await alice.context.close();
});

/** Whether two boxes share any area. */
function overlap(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Asserts that the shown actions cover no message but their own, and stay inside the list sideways. */
async function expectActionsCoverNoOtherMessage(page: Page, own: number) {
  const actions = await box(page.locator('message-actions'));
  const list = await box(page.locator('chat-message-list'));
  expect(actions.x).toBeGreaterThanOrEqual(list.x);
  expect(actions.x + actions.width).toBeLessThanOrEqual(list.x + list.width);
  const bubbles = page.locator('[data-testid="message"] .bubble');
  const count = await bubbles.count();
  for (let i = 0; i < count; i++) {
    if (i !== own) expect(overlap(actions, await box(bubbles.nth(i))), `actions over message ${i}`).toBe(false);
  }
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
]) {
  test(`Reply and React cover no other message (its time above stayed hidden), hovered or focused, at ${size.width} px`, async ({
    browser,
  }) => {
    const alice = await personInNewContext(browser, 'Alice', size);
    const bob = await personInNewContext(browser, 'Bob');
    await befriend(alice, bob);
    await startDirectChat(alice.page, bob.person);
    await send(alice.page, 'Hi');
    await startDirectChat(bob.page, alice.person);
    await send(bob.page, 'Ok');
    await send(bob.page, 'Yes');
    await send(alice.page, 'Sure');
    await send(alice.page, 'Fine');
    const messages = alice.page.getByTestId('message');
    await expect(messages).toHaveCount(5);
    // Short bubbles close together: where the actions once hid the time of the message above.
    await messages.nth(2).hover();
    await expect(alice.page.getByTestId('message-reply')).toBeVisible();
    await expectActionsCoverNoOtherMessage(alice.page, 2);
    await alice.page.mouse.move(0, 0);
    await messages.nth(4).focus();
    await alice.page.keyboard.press('ArrowUp');
    await expect(messages.nth(3)).toBeFocused();
    await expect(alice.page.getByTestId('message-edit')).toBeVisible();
    await expectActionsCoverNoOtherMessage(alice.page, 3);
    await alice.context.close();
    await bob.context.close();
  });
}
