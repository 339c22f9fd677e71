/**
 * The widget's frame in a conversation of history segments (issue 13,
 * docs/SEGMENTS.md), on a server of this spec's own with a small bound (10
 * messages a segment): the visitor sees what the owner sent after the
 * conversation rolled over (it once read `conv/<id>` only and saw nothing),
 * scrolls back to the first message one segment at a time, and what the
 * visitor writes after the rollovers reaches the owner in its place.
 */
import { expect, type FrameLocator, test } from '@playwright/test';
import type { ConversationView } from '../shared/api.js';
import type { SiteView } from '../shared/widget.js';
import { api } from '../sync-server/testing/api-call.js';
import { openSegmented, readConversation } from '../sync-server/testing/segmented-client.js';
import { createUser } from '../sync-server/testing/test-users.js';
import { type HostSite, startHostSite } from './host-site.js';
import { startOwnServer, type OwnServer } from './own-server.js';

const BOUND = 10;
const ANSWERS = 3 * BOUND;

let own: OwnServer;
let host: HostSite | undefined;
let hostOrigin = '';

test.beforeAll(async () => {
  own = await startOwnServer({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });
  host = await startHostSite(own.server.url);
  hostOrigin = host.origin;
});

test.afterAll(async () => {
  await host?.close();
  await own?.stop();
});

const widgetTexts = (frame: FrameLocator) => frame.getByTestId('widget-message-text');

test('the visitor reads across rollovers, newest first and older on scroll, and writes into the newest segment', async ({ browser }) => {
  test.setTimeout(120_000);
  const { server } = own;
  const owner = await createUser(server, 'Owner');
  const created = await api<SiteView>(server, 'POST', '/api/sites', {
    cookie: owner.cookie,
    body: { name: 'Shop', origins: [hostOrigin], greeting: 'Welcome!' },
  });
  expect(created.status).toBe(201);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/?site=${created.body.key}`);
  await page.locator('happy-chat-widget').locator('button.launcher').click();
  const frame = page.frameLocator('happy-chat-widget iframe');
  await frame.getByTestId('widget-composer-input').fill('Hello from the shop');
  await frame.getByTestId('widget-composer-input').press('Enter');
  await expect(frame.getByTestId('widget-message')).toHaveAttribute('data-state', 'delivered');

  // The owner answers with three segments' worth from a device that reads segments.
  const listed = await api<ConversationView[]>(server, 'GET', '/api/conversations', { cookie: owner.cookie });
  const conversationId = listed.body[0]?.id ?? '';
  const writer = await openSegmented(server, owner, conversationId);
  for (let i = 1; i <= ANSWERS; i++) await writer.sendAndWait(`answer ${i}`);
  expect(writer.newest()).toBeGreaterThanOrEqual(3);

  // The open frame follows the rollovers live.
  await expect(widgetTexts(frame).last()).toHaveText(`answer ${ANSWERS}`);
  await expect(widgetTexts(frame)).toHaveCount(ANSWERS + 1);

  // A reload (this browser keeps no storage for the frame: a fresh device) opens at the newest segment only.
  await page.reload();
  await page.locator('happy-chat-widget').locator('button.launcher').click();
  await expect(widgetTexts(frame).last()).toHaveText(`answer ${ANSWERS}`);
  await expect(widgetTexts(frame).getByText('answer 1', { exact: true })).toHaveCount(0);
  // The greeting opens the conversation: it waits above the oldest segment.
  await expect(frame.getByTestId('widget-greeting')).toHaveCount(0);

  // Scrolling to the top brings each older segment in turn, down to the visitor's first message.
  const list = frame.locator('embed-message-list');
  const first = widgetTexts(frame).getByText('Hello from the shop', { exact: true });
  for (let i = 0; i < 10 && (await first.count()) === 0; i++) {
    const before = await widgetTexts(frame).count();
    await list.evaluate((element) => (element.scrollTop = 0));
    await expect.poll(() => widgetTexts(frame).count(), { timeout: 10_000 }).toBeGreaterThan(before);
  }
  await expect(widgetTexts(frame)).toHaveText(['Hello from the shop', ...Array.from({ length: ANSWERS }, (_, i) => `answer ${i + 1}`)]);
  await expect(frame.getByTestId('widget-greeting')).toHaveText('Welcome!');

  // The visitor answers after the rollovers: it lands in the newest segment, numbered after every answer.
  await frame.getByTestId('widget-composer-input').fill('Thanks, all clear');
  await frame.getByTestId('widget-composer-input').press('Enter');
  await expect(frame.locator('[data-testid="widget-message"][data-state="pending"]')).toHaveCount(0);
  await expect
    .poll(
      async () => (await readConversation(server, owner, conversationId)).find(({ message }) => message.text === 'Thanks, all clear')?.seq,
    )
    .toBe(ANSWERS + 2);

  writer.destroy();
  await context.close();
});
