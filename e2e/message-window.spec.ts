/**
 * The message list's window while reading far back (client/controllers/message-window-controller.ts):
 * at most MAX_SHOWN (300) messages stay rendered, so the newest pages leave the DOM as older ones join
 * above and come back as the person scrolls down, without a jump either way; while the newest message is
 * out of the DOM, it does not count as read, and jump to latest brings it back. On a server of this
 * spec's own (one document per conversation: the window does not depend on segments).
 */
import { expect, type Page, test } from '@playwright/test';
import { readsOf } from '../shared/schema.js';
import { seqIndexOf } from '../shared/seq-index.js';
import { writeMessage } from '../shared/testing/text-message.js';
import { directConversation } from '../sync-server/testing/direct-conversation.js';
import { openSegmented } from '../sync-server/testing/segmented-client.js';
import { createUser } from '../sync-server/testing/test-users.js';
import { messageTexts, messageWith } from './chat-page.js';
import { signedInContext, startOwnServer, type OwnServer } from './own-server.js';

const TOTAL = 420;
const MAX_SHOWN = 300;

let own: OwnServer;

test.beforeAll(async () => {
  own = await startOwnServer();
});

test.afterAll(async () => {
  await own?.stop();
});

/** The distance of a message's row from the list's top (px). */
async function offsetOf(page: Page, text: string): Promise<number> {
  const row = await messageWith(page, text).boundingBox();
  const list = await page.locator('chat-message-list').boundingBox();
  if (!row || !list) throw new Error(`${text} is not shown`);
  return row.y - list.y;
}

test('reading far back keeps at most 300 messages rendered, without a jump; the newest is not read until it is back', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { server } = own;
  const [alice, bob] = [await createUser(server, 'Alice'), await createUser(server, 'Bob')];
  const conversationId = await directConversation(server, alice, bob);
  const writer = await openSegmented(server, alice, conversationId);
  const doc = (await writer.segment(0)).doc;
  // One update (as a device's offline backlog): one at a time would meet the relay's rate limit of updates.
  doc.transact(() => {
    for (let i = 1; i <= TOTAL; i++) writeMessage(doc, alice.id, `line ${i}`);
  });
  await expect.poll(() => seqIndexOf(doc).size, { timeout: 30_000 }).toBeGreaterThanOrEqual(TOTAL);
  const bobsRead = () => readsOf(doc).get(bob.id) ?? 0;

  const context = await signedInContext(browser, server, bob);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  // All unread: it opens at the first, under the divider, with at most MAX_SHOWN rendered and the newest left out.
  await expect(messageWith(page, 'line 1')).toBeInViewport();
  await expect(page.getByTestId('unread-divider')).toHaveCount(1);
  await expect(messageWith(page, `line ${TOTAL}`)).toHaveCount(0);
  expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_SHOWN);
  await expect(page.getByTestId('jump-to-latest')).toBeVisible();

  // Scrolling down brings newer pages in below (the oldest leave above), the row in view staying in place.
  const list = page.locator('chat-message-list');
  for (let i = 0; i < 20 && (await messageWith(page, `line ${TOTAL}`).count()) === 0; i++) {
    const last = (await messageTexts(page).last().textContent()) ?? '';
    await list.evaluate((element) => (element.scrollTop = element.scrollHeight - element.clientHeight));
    await expect(messageTexts(page).last()).not.toHaveText(last);
    expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_SHOWN);
    // The newest is not in the DOM yet, so not seen: the read marker has not moved to it.
    if ((await messageWith(page, `line ${TOTAL}`).count()) === 0) expect(bobsRead()).toBeLessThan(TOTAL);
  }
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(messageWith(page, `line ${TOTAL}`)).toBeInViewport();
  await expect.poll(bobsRead, { timeout: 10_000 }).toBe(TOTAL);
  await expect(messageTexts(page).first()).not.toHaveText('line 1');

  // Back up to the first message: older pages join above, the newest pages leave below, no jump.
  for (let i = 0; i < 20 && (await messageWith(page, 'line 1').count()) === 0; i++) {
    const first = (await messageTexts(page).first().textContent()) ?? '';
    await list.evaluate((element) => (element.scrollTop = 0));
    await expect(messageTexts(page).first()).not.toHaveText(first);
    // What was at the top when the page joined above is still about there (as in messages.spec.ts).
    const after = await offsetOf(page, first);
    expect(after).toBeGreaterThan(-50);
    expect(after).toBeLessThan(300);
    expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_SHOWN);
  }
  await expect(messageWith(page, 'line 1')).toHaveCount(1);
  await expect(messageWith(page, `line ${TOTAL}`)).toHaveCount(0);

  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(messageWith(page, 'line 1')).toBeInViewport();
  // A new message while reading far back does not pull the view down, nor count as read.
  await writer.sendAndWait('new while far back');
  await expect(page.getByTestId('jump-to-latest')).toBeVisible();
  await expect(messageWith(page, 'line 1')).toBeInViewport();
  expect(bobsRead()).toBe(TOTAL);

  // Jump to latest: the newest back in view, and read.
  await page.getByTestId('jump-to-latest').click();
  await expect(messageWith(page, 'new while far back')).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);
  await expect.poll(bobsRead, { timeout: 10_000 }).toBe(TOTAL + 1);
  expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_SHOWN);

  writer.destroy();
  await context.close();
});

test('the jump-to-latest button shows only while no part of the newest message is in view (phone size)', async ({ browser }) => {
  const { server } = own;
  const [alice, bob] = [await createUser(server, 'Alice'), await createUser(server, 'Bob')];
  const conversationId = await directConversation(server, alice, bob);
  const writer = await openSegmented(server, alice, conversationId);
  const doc = (await writer.segment(0)).doc;
  const longest = `the newest ${'and a long one '.repeat(40)}end`;
  doc.transact(() => {
    for (let i = 1; i <= 40; i++) writeMessage(doc, alice.id, `short ${i}`);
    writeMessage(doc, alice.id, longest);
  });
  await expect.poll(() => seqIndexOf(doc).size, { timeout: 30_000 }).toBeGreaterThanOrEqual(41);

  const context = await signedInContext(browser, server, bob);
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(server.url);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  const list = page.locator('chat-message-list');
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(messageWith(page, longest)).toBeInViewport();
  const rowHeight = (await messageWith(page, longest).boundingBox())?.height ?? 0;
  expect(rowHeight).toBeGreaterThan(200);
  // Up by more than the list's "at the bottom" margin (80 px), the newest still partly in view: no button over it.
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight - element.clientHeight - 150));
  await expect(messageWith(page, longest)).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);
  // The newest out of view: the button shows, and brings it back.
  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(page.getByTestId('jump-to-latest')).toBeVisible();
  await page.getByTestId('jump-to-latest').click();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);
  await context.close();
});
