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
  expect(await page.getByTestId('message').evaluateAll((items) => items.filter((item) => item.getAttribute('tabindex') === '0').length)).toBe(1);
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
