/**
 * History segments in the app (issue 13, docs/SEGMENTS.md), on a server of
 * this spec's own with a small bound (30 messages a segment), at a desktop's
 * and a phone's size: a fresh device opening a conversation of four
 * segments syncs `conv/<id>` and the newest segment only (its socket
 * receives nothing of the older ones) and shows the newest messages; each
 * older segment arrives as the person scrolls up, without a jump; after a
 * reload offline, every segment already seen reads from the device.
 */
import { expect, type Page, test } from '@playwright/test';
import { convDocName, segmentDocName } from '../shared/doc-names.js';
import { directConversation } from '../sync-server/testing/direct-conversation.js';
import { openSegmented } from '../sync-server/testing/segmented-client.js';
import { createUser } from '../sync-server/testing/test-users.js';
import { messageTexts } from './chat-page.js';
import { startOwnServer, type OwnServer } from './own-server.js';
import { waitForServiceWorker } from './service-worker.js';
import { watchSyncTraffic } from './sync-traffic.js';

const BOUND = 30;
/** Three full segments (1..3) and a newest one holding about 20. */
const TOTAL = 3 * BOUND + 20;

let own: OwnServer;

test.beforeAll(async () => {
  own = await startOwnServer({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });
});

test.afterAll(async () => {
  await own?.stop();
});

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 360, height: 740 },
];

/** Scrolls the list to its top until `text` is rendered, a bounded number of times (each older page or segment arrives in turn). */
async function scrollBackTo(page: Page, text: string): Promise<void> {
  const list = page.locator('chat-message-list');
  const target = page.getByTestId('message-text').getByText(text, { exact: true });
  for (let i = 0; i < 30 && (await target.count()) === 0; i++) {
    const before = await page.getByTestId('message').count();
    await list.evaluate((element) => (element.scrollTop = 0));
    // The next page or segment shows more messages; at the very top nothing changes.
    await expect.poll(() => page.getByTestId('message').count(), { timeout: 10_000 }).toBeGreaterThan(before);
  }
  await expect(target).toHaveCount(1);
}

for (const viewport of VIEWPORTS) {
  test(`a conversation in segments on a fresh device, ${viewport.name}: newest first, older on scroll, offline after`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const { server } = own;
    const [alice, bob] = [await createUser(server, `Alice ${viewport.name}`), await createUser(server, `Bob ${viewport.name}`)];
    const conversationId = await directConversation(server, alice, bob);
    // Bob wrote them all on another device: nothing is unread, so the conversation opens at its newest message.
    const writer = await openSegmented(server, bob, conversationId);
    // Where each line went: a writer learns of a rollover a message late at times, so bounds are read, not assumed.
    const segmentOf: number[] = [];
    for (let i = 1; i <= TOTAL; i++) segmentOf[i] = (await writer.sendAndWait(`line ${i}`)).segment;
    writer.destroy();
    const newest = segmentOf[TOTAL] ?? 0;
    const firstLineIn = (segment: number) => segmentOf.indexOf(segment);
    expect(newest).toBeGreaterThanOrEqual(4);

    // A fresh device: an empty profile, signed in as Bob.
    const fresh = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const [name, ...value] = bob.cookie.split('=');
    await fresh.addCookies([{ name: name ?? '', value: value.join('='), url: server.url }]);
    const page = await fresh.newPage();
    const traffic = watchSyncTraffic(page);
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await page
      .getByTestId('conversation-item')
      .filter({ hasText: `Alice ${viewport.name}` })
      .click();

    // Newest first: the newest segment's messages, and nothing of the older segments on the wire.
    await expect(messageTexts(page).last()).toHaveText(`line ${TOTAL}`);
    await expect(messageTexts(page).first()).toHaveText(`line ${firstLineIn(newest)}`);
    const conversationDocs = () => traffic.documents.filter((doc) => doc.startsWith(convDocName(conversationId)));
    expect(new Set(conversationDocs())).toEqual(new Set([convDocName(conversationId), segmentDocName(conversationId, newest)]));
    for (let older = 1; older < newest; older++) expect(traffic.receivedBytes.get(segmentDocName(conversationId, older)) ?? 0).toBe(0);

    // Scrolling up brings the segment before above what was on screen, which stays in place.
    const list = page.locator('chat-message-list');
    const anchor = page.getByTestId('message').filter({ has: page.getByText(`line ${firstLineIn(newest)}`, { exact: true }) });
    await list.evaluate((element) => (element.scrollTop = 0));
    await expect(messageTexts(page).first()).toHaveText(`line ${firstLineIn(newest - 1)}`);
    const top = await anchor.boundingBox();
    const listBox = await list.boundingBox();
    expect(top && listBox && top.y - listBox.y).toBeGreaterThan(-50);
    expect(top && listBox && top.y - listBox.y).toBeLessThan(300);
    expect(conversationDocs()).toContain(segmentDocName(conversationId, newest - 1));
    expect(conversationDocs()).not.toContain(segmentDocName(conversationId, newest - 2));

    // On to the first message: every older segment, in order.
    await scrollBackTo(page, 'line 1');
    await expect(page.getByTestId('load-older')).toHaveCount(0);
    await expect(messageTexts(page)).toHaveText(Array.from({ length: TOTAL }, (_, i) => `line ${i + 1}`));

    // Offline after a reload: the segments seen are on this device.
    await fresh.setOffline(true);
    await page.reload();
    // The reload reopens the conversation it showed (its route).
    await expect(messageTexts(page).last()).toHaveText(`line ${TOTAL}`);
    await scrollBackTo(page, 'line 1');
    await fresh.close();
  });
}

test('while an older segment is on its way, the top of the list says it is loading', async ({ browser }) => {
  test.setTimeout(120_000);
  const { server } = own;
  const [alice, bob] = [await createUser(server, 'Alice loading'), await createUser(server, 'Bob loading')];
  const conversationId = await directConversation(server, alice, bob);
  const writer = await openSegmented(server, bob, conversationId);
  // Three segments: the newest holds less than a page, so the one before it opens with it; the first is left.
  for (let i = 1; i <= 2 * BOUND + 5; i++) await writer.sendAndWait(`line ${i}`);
  writer.destroy();

  const fresh = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const [name, ...value] = bob.cookie.split('=');
  await fresh.addCookies([{ name: name ?? '', value: value.join('='), url: server.url }]);
  const page = await fresh.newPage();
  await page.goto(server.url);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice loading' }).click();
  await expect(messageTexts(page).last()).toHaveText(`line ${2 * BOUND + 5}`);
  const button = page.getByTestId('load-older');
  await expect(button).toHaveText('Show earlier messages');
  await expect(button).toHaveAttribute('aria-busy', 'false');

  // Offline, the segment asked for cannot come: the button says it is loading until it does.
  await fresh.setOffline(true);
  const list = page.locator('chat-message-list');
  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(button).toHaveAttribute('aria-busy', 'true');
  await expect(button).toHaveText('Loading earlier messages…');
  await fresh.setOffline(false);
  await expect(messageTexts(page).first()).toHaveText('line 1', { timeout: 30_000 });
  await expect(button).toHaveCount(0);
  await fresh.close();
});
