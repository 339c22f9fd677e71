/**
 * Search in a real browser (issue 18): what is on the device is found with
 * the network off, in English and Chinese, edits and deletes followed at
 * once; history the device never opened comes from the server; choosing a
 * result opens the conversation at that message. Screenshots at desktop
 * and phone sizes go to test-results/ (SEARCH_SCREENSHOTS=dir puts them there instead).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { aliceAndBobInDirectChat } from './direct-chat.js';
import { waitForServiceWorker } from './service-worker.js';

function messageWith(page: Page, text: string): Locator {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

async function act(message: Locator, action: string): Promise<void> {
  await message.hover();
  await message.getByTestId(action).click();
}

/** Types a query into the conversation list's search field and returns the hits' texts. */
async function searchList(page: Page, query: string): Promise<Locator> {
  const field = page.getByTestId('search-input').first();
  await field.fill(query);
  return page.getByTestId('search-hit-text');
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SEARCH_SCREENSHOTS ?? test.info().outputPath();
  await page.screenshot({ path: `${dir}/${name}.png` });
}

test('finds messages offline in English and Chinese, follows edits and deletes, opens the conversation at the message', async ({
  browser,
}) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser);
  const page = alice.page;
  await send(page, '这个周末去爬山');
  await send(page, 'Hiking plans for Saturday');
  for (let i = 0; i < 50; i++) await send(page, `filler ${i}`);
  await expect(page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(52);
  await expect(page.locator('[data-testid="message"][data-state="pending"]')).toHaveCount(0);
  await waitForServiceWorker(page);

  await alice.context.setOffline(true);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');

  // Chinese without spaces: the word in the middle of a sentence, marked.
  const hits = await searchList(page, '周末');
  await expect(hits).toHaveText(['这个周末去爬山']);
  await expect(hits.locator('mark')).toHaveText(['周末']);
  await expect(page.getByTestId('search-offline')).toBeVisible();
  await expect(page.locator('conversation-list')).toBeHidden();
  // English by prefix, case aside.
  await expect(await searchList(page, 'hik SATUR')).toHaveText(['Hiking plans for Saturday']);
  await screenshot(page, 'search-desktop');

  // Choosing it opens the conversation at the message (52 messages: it is on an older page, not rendered at first) and highlights it.
  await page.getByTestId('search-hit').first().click();
  await expect(page.getByTestId('conversation-title')).toHaveText('Bob');
  const found = messageWith(page, 'Hiking plans for Saturday');
  await expect(found).toBeInViewport();
  await expect(found).toHaveClass(/flash/);

  // Edited offline: the old words are gone from the results, the new ones found.
  await act(found, 'message-edit');
  await page.getByTestId('edit-input').fill('Camping plans for Sunday');
  await page.getByTestId('edit-input').press('Enter');
  await page.getByTestId('conversation-search').click();
  const inChat = page.locator('search-panel.in-chat');
  await inChat.getByTestId('search-input').fill('hiking');
  await expect(inChat.getByTestId('search-summary')).toContainText('0 results');
  await inChat.getByTestId('search-input').fill('camp');
  await expect(inChat.getByTestId('search-hit-text')).toHaveText(['Camping plans for Sunday']);

  // Deleted offline: never found again, not even after a reload.
  await inChat.getByTestId('search-input').fill('');
  await page.getByTestId('conversation-search').click();
  await act(messageWith(page, '这个周末去爬山'), 'message-delete');
  await page.getByTestId('message-delete-confirm').click();
  await expect(page.getByTestId('message-deleted')).toHaveCount(1);
  await expect(await searchList(page, '周末')).toHaveCount(0);
  await expect(page.getByTestId('search-summary')).toContainText('0 results');
  await page.reload();
  await expect(await searchList(page, '周末')).toHaveCount(0);
  await expect(await searchList(page, 'camp')).toHaveText(['Camping plans for Sunday']);

  await alice.context.close();
  await bob.context.close();
});

test('finds on the server what this device never opened, and opens it there (phone size)', async ({ browser }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser);
  await send(alice.page, '下个周末一起去图书馆');
  await send(alice.page, 'Library on Sunday?');
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);

  // Bob never opened the conversation: his device has none of it.
  const page = bob.page;
  await page.setViewportSize({ width: 360, height: 740 });
  const hits = await searchList(page, '图书馆');
  await expect(hits).toHaveText(['下个周末一起去图书馆']);
  await expect(page.getByTestId('search-hit').getByText('From the server')).toBeVisible();
  await screenshot(page, 'search-phone');
  await page.getByTestId('search-hit').first().click();
  await expect(page.getByTestId('conversation-title')).toHaveText('Alice');
  await expect(messageWith(page, '下个周末一起去图书馆')).toHaveClass(/flash/);
  await screenshot(page, 'search-phone-opened');

  // Inside the conversation: its own field, its messages only.
  await page.getByTestId('conversation-search').click();
  const inChat = page.locator('search-panel.in-chat');
  await expect(inChat.getByTestId('search-input')).toBeFocused();
  await inChat.getByTestId('search-input').fill('sun');
  await expect(inChat.getByTestId('search-hit-text')).toHaveText(['Library on Sunday?']);
  await screenshot(page, 'search-phone-in-chat');
  await inChat.getByTestId('search-hit').click();
  await expect(inChat).toHaveCount(0);
  await expect(messageWith(page, 'Library on Sunday?')).toHaveClass(/flash/);

  await alice.context.close();
  await bob.context.close();
});
