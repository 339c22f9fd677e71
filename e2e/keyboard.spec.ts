/**
 * Keyboard only (issue 16): sign in, open a conversation and send with few
 * key presses; the message list is one tab stop with arrow keys between
 * messages; a screen reader hears an incoming message (the live region's
 * text).
 */
import { expect, test, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

/** Presses keys one by one and counts them (typing text is not counted: it is the message, not navigation). */
function keyCounter(page: Page) {
  let count = 0;
  return {
    press: async (key: string) => {
      count++;
      await page.keyboard.press(key);
    },
    get count() {
      return count;
    },
  };
}

/** The element that has focus, through shadow roots: its data-testid, or its tag. */
function focusedTestId(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-testid') ?? active?.tagName.toLowerCase() ?? 'none';
  });
}

test('keyboard only: sign in, open the conversation and send in at most 10 key presses', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(bob.page, alice.person);
  for (let i = 1; i <= 10; i++) await send(bob.page, `Message ${i}`);
  await expect(bob.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(10);
  await alice.context.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  // Focus starts in the email field.
  await expect(page.getByTestId('signin-email')).toBeFocused();
  await page.keyboard.type(alice.person.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(alice.person.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('current-user')).toHaveText(alice.person.name);

  // What a sighted keyboard user waits for too: the list has loaded.
  await expect(page.getByTestId('conversation-item').first()).toHaveText('Bob');
  const keys = keyCounter(page);
  // The skip link comes first, and leads to the conversations.
  await keys.press('Tab');
  expect(await focusedTestId(page)).toBe('skip-link');
  await keys.press('Enter');
  await keys.press('Enter');
  await expect(page.getByTestId('conversation-title')).toHaveText('Bob');
  // Opening a conversation puts focus in the message box.
  await expect(page.getByTestId('composer-input')).toBeFocused();
  await page.keyboard.type('Hello from the keyboard');
  await keys.press('Enter');
  await expect(bob.page.getByTestId('message-text').last()).toHaveText('Hello from the keyboard');
  expect(keys.count).toBeLessThanOrEqual(10);

  // The list is one tab stop: going back from the message box past the composer's buttons lands on the newest message.
  const backToList: string[] = [];
  for (let i = 0; i < 4 && (await focusedTestId(page)) !== 'message'; i++) {
    await page.keyboard.press('Shift+Tab');
    backToList.push(await focusedTestId(page));
  }
  expect(backToList.at(-1)).toBe('message');
  await expect(page.getByTestId('message').last()).toBeFocused();
  // Arrows walk the others.
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('message').nth(-2)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('message').first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('message').last()).toBeFocused();
  expect(
    await page.getByTestId('message').evaluateAll((items) => items.filter((item) => item.getAttribute('tabindex') === '0').length),
  ).toBe(1);
  // Its actions are next in the tab order; then the message box, not the other messages.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Tab');
  await expect.poll(() => focusedTestId(page)).toBe('message-reply');

  // A panel opened from the keyboard closes with Escape and gives focus back to what opened it.
  await page.getByTestId('profile-edit').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('side-sheet')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('side-sheet')).toHaveCount(0);
  await expect(page.getByTestId('profile-edit')).toBeFocused();

  await context.close();
  await bob.context.close();
});

test('a screen reader hears an incoming message: author and text in the polite log', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'Are you there?');
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('message')).toHaveCount(1);

  const log = alice.page.getByTestId('message-announcer');
  await expect(log).toHaveAttribute('role', 'log');
  await expect(log).toHaveAttribute('aria-live', 'polite');
  // What was there when the conversation opened is not read out again.
  await expect(log).toHaveText('');
  await send(bob.page, 'Yes, here!');
  await expect(log).toHaveText('Bob: Yes, here!');
  // My own messages are not announced: I know what I wrote.
  await send(alice.page, 'Great');
  await expect(alice.page.getByTestId('message')).toHaveCount(3);
  await expect(log).toHaveText('Bob: Yes, here!');

  await alice.context.close();
  await bob.context.close();
});

test('the Chats and Friends tabs: each controls its panel, arrow keys move between them, one tab stop', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const page = alice.page;
  const chats = page.getByTestId('chats-tab');
  const friends = page.getByTestId('friends-tab');
  const chatsPanel = page.locator('[role="tabpanel"]#chats-panel');
  const friendsPanel = page.locator('[role="tabpanel"]#friends-panel');
  await expect(chats).toHaveAttribute('aria-controls', 'chats-panel');
  await expect(friends).toHaveAttribute('aria-controls', 'friends-panel');
  await expect(chatsPanel).toHaveAttribute('aria-labelledby', 'chats-tab');
  await expect(friendsPanel).toHaveAttribute('aria-labelledby', 'friends-tab');
  await expect(chatsPanel).toBeVisible();
  await expect(friendsPanel).toBeHidden();
  // Only the selected tab is in the tab order; the other is reached with the arrows.
  await expect(chats).toHaveAttribute('tabindex', '0');
  await expect(friends).toHaveAttribute('tabindex', '-1');

  await chats.focus();
  await page.keyboard.press('ArrowRight');
  await expect(friends).toBeFocused();
  await expect(friends).toHaveAttribute('aria-selected', 'true');
  await expect(friends).toHaveAttribute('tabindex', '0');
  await expect(friendsPanel).toBeVisible();
  await expect(chatsPanel).toBeHidden();
  // Right from the last wraps to the first; Left from the first to the last; Home and End go to the ends.
  await page.keyboard.press('ArrowRight');
  await expect(chats).toBeFocused();
  await expect(chats).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(friends).toBeFocused();
  await page.keyboard.press('Home');
  await expect(chats).toBeFocused();
  await expect(chatsPanel).toBeVisible();
  await page.keyboard.press('End');
  await expect(friends).toBeFocused();
  await expect(friends).toHaveAttribute('aria-selected', 'true');

  await alice.context.close();
});

test('on a phone, Escape in an open chat goes back to the list with focus on that conversation', async ({ browser }) => {
  const phone = { width: 360, height: 740 };
  const alice = await personInNewContext(browser, 'Alice', phone);
  const bob = await personInNewContext(browser, 'Bob');
  const carol = await personInNewContext(browser, 'Carol');
  await befriend(alice, bob);
  await befriend(alice, carol);
  const page = alice.page;
  await startDirectChat(page, bob.person);
  await send(page, 'Hi Bob');
  await page.getByTestId('back').click();
  await startDirectChat(page, carol.person);
  await send(page, 'Hi Carol');
  await page.getByTestId('back').click();
  // Carol's is the newer one, so Bob's is not the first row (focus on the first would not do).
  const rows = page.locator('button[data-conversation-id]');
  await expect(rows.first()).toContainText('Carol');
  const bobRow = rows.filter({ hasText: 'Bob' });
  await bobRow.click();
  await expect(page.getByTestId('conversation-title')).toHaveText('Bob');
  await expect(page.getByTestId('composer-input')).toBeFocused();

  // An Escape that puts something away does only that: the reply is dropped, the chat stays.
  await page.getByTestId('message').last().click();
  await page.getByTestId('message-reply').click();
  await expect(page.getByTestId('composer-reply')).toBeVisible();
  await page.getByTestId('composer-input').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('composer-reply')).toHaveCount(0);
  await expect(page.getByTestId('conversation-title')).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('conversation-title')).toBeHidden();
  await expect(bobRow).toBeFocused();

  await alice.context.close();
  await bob.context.close();
  await carol.context.close();
});
