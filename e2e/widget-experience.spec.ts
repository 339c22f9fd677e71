/**
 * The conversation experience of issue 15 in the widget's frame, between
 * the site's owner in the app and a visitor on a host page of another origin
 * (its own port: the frame is cross-origin, so the clipboard API is the host's
 * to delegate), at 1280×800 and 360×740 (touch), in
 * English and Chinese: the app's pinned bar shows the owner's pin (opening
 * older history segments for it on a fresh device) and jumps to the pinned
 * message; scrolled up, what the owner writes counts on the jump-to-latest
 * button, which brings the visitor down; Copy puts a message's text on the
 * clipboard and says so. On this spec's own server with a small segment
 * bound (10 messages), so the pinned message is segments back.
 */
import { expect, type FrameLocator, type Locator, type Page, test } from '@playwright/test';
import type { ConversationView } from '../shared/api.js';
import type { SiteView } from '../shared/widget.js';
import { api } from '../sync-server/testing/api-call.js';
import { openSegmented } from '../sync-server/testing/segmented-client.js';
import { createUser, type TestUser } from '../sync-server/testing/test-users.js';
import { send } from './chat-page.js';
import { type HostSite, startHostSite } from './host-site.js';
import { signedInContext, startOwnServer, type OwnServer } from './own-server.js';

const BOUND = 10;
const FILLER = 2 * BOUND + 5;
const PINNED = 'We are at 1 Harbour Street';

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

const launcher = (page: Page) => page.locator('happy-chat-widget').locator('button.launcher');
const widgetMessage = (frame: FrameLocator, text: string): Locator =>
  frame.getByTestId('widget-message').filter({ has: frame.getByTestId('widget-message-text').getByText(text, { exact: true }) });
const appMessage = (page: Page, text: string): Locator =>
  page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });

async function write(frame: FrameLocator, text: string): Promise<void> {
  await frame.getByTestId('widget-composer-input').fill(text);
  await frame.getByTestId('widget-composer-input').press('Enter');
}

/** The owner makes a site for the host page; the visitor opens the bubble and writes, which makes the conversation. */
async function startConversation(
  owner: TestUser,
  visitorPage: Page,
  lang: string,
): Promise<{ frame: FrameLocator; conversationId: string }> {
  const { server } = own;
  const created = await api<SiteView>(server, 'POST', '/api/sites', {
    cookie: owner.cookie,
    body: { name: 'Shop', origins: [hostOrigin], greeting: 'Welcome!' },
  });
  expect(created.status).toBe(201);
  await visitorPage.goto(`${hostOrigin}/?site=${created.body.key}&lang=${lang}`);
  await launcher(visitorPage).click();
  const frame = visitorPage.frameLocator('happy-chat-widget iframe');
  await write(frame, 'Where is your shop?');
  await expect(widgetMessage(frame, 'Where is your shop?')).toHaveAttribute('data-state', 'delivered');
  const listed = await api<ConversationView[]>(server, 'GET', '/api/conversations', { cookie: owner.cookie });
  const widgetConversations = listed.body.filter((conversation) => conversation.kind === 'widget');
  expect(widgetConversations).toHaveLength(1);
  return { frame, conversationId: widgetConversations[0]?.id ?? '' };
}

const CASES = [
  { lang: 'en', width: 1280, height: 800, copied: 'Copied', pinned: 'Pinned message', jump: 'Jump to the latest message, 2 new' },
  { lang: 'zh-CN', width: 360, height: 740, copied: '已复制', pinned: '置顶消息', jump: '跳到最新消息，2 条新消息' },
  { lang: 'en', width: 360, height: 740, copied: 'Copied', pinned: 'Pinned message', jump: 'Jump to the latest message, 2 new' },
  { lang: 'zh-CN', width: 1280, height: 800, copied: '已复制', pinned: '置顶消息', jump: '跳到最新消息，2 条新消息' },
] as const;

for (const { lang, width, height, copied, pinned, jump } of CASES) {
  test(`in the frame: the owner's pin, jump to latest with a count, copy (${lang}, ${width}×${height})`, async ({ browser }, testInfo) => {
    // Two browsers, 25 messages through the relay and a reload: slow on a loaded machine.
    test.setTimeout(150_000);
    const touch = width < 600;
    const { server } = own;
    const owner = await createUser(server, 'Owner');
    const visitorContext = await browser.newContext({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
    await visitorContext.grantPermissions(['clipboard-read', 'clipboard-write']);
    const visitorPage = await visitorContext.newPage();
    const { frame, conversationId } = await startConversation(owner, visitorPage, lang);
    const shot = (name: string) => visitorPage.screenshot({ path: testInfo.outputPath(`widget-${name}-${lang}-${width}.png`) });

    // The owner answers in the app and pins the answer.
    const ownerContext = await signedInContext(browser, server, owner);
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(server.url);
    await ownerPage.getByTestId('conversation-item').filter({ hasText: '· Shop' }).click();
    await send(ownerPage, PINNED);
    const answer = appMessage(ownerPage, PINNED);
    await expect(answer).toHaveAttribute('data-state', 'delivered');
    await answer.hover();
    await answer.getByTestId('message-pin').click();
    await expect(ownerPage.getByTestId('pinned-text')).toHaveText(`Owner: ${PINNED}`);

    // The frame shows the pin live, read-only.
    await expect(frame.getByTestId('pinned-text')).toHaveText(`Owner: ${PINNED}`);
    await expect(frame.getByTestId('pinned-unpin')).toHaveCount(0);

    // Then two segments and more of news: the pinned answer is history now.
    const writer = await openSegmented(server, owner, conversationId);
    for (let i = 1; i <= FILLER; i++) await writer.sendAndWait(`News ${i}`);
    expect(writer.newest()).toBeGreaterThanOrEqual(3);
    writer.destroy();
    await expect(frame.getByTestId('widget-message-text').last()).toHaveText(`News ${FILLER}`);

    // After a reload the frame has no local copy (as in widget-segments.spec.ts): it opens the newest segment only,
    // and older ones until it holds the pinned message, so its bar shows what the app's shows.
    await visitorPage.reload();
    await launcher(visitorPage).click();
    await expect(frame.getByTestId('widget-message-text').last()).toHaveText(`News ${FILLER}`);
    const bar = frame.getByTestId('pinned-bar');
    await expect(bar).toContainText(pinned);
    await expect(frame.getByTestId('pinned-text')).toHaveText(`Owner: ${PINNED}`);
    const pinnedInFrame = widgetMessage(frame, PINNED);
    await expect(pinnedInFrame).not.toBeInViewport();
    await expect(frame.getByTestId('jump-to-latest')).toHaveCount(0);
    await shot('pinned-bar');

    // The bar jumps to the pinned message and gives it the keyboard.
    if (touch) await bar.tap();
    else await bar.click();
    await expect(pinnedInFrame).toBeInViewport();
    await expect(pinnedInFrame).toBeFocused();
    await shot('pinned-jump');
    // It was highlighted for a moment only (not asserted while it lasts: a loaded machine may take longer to look).
    await expect(pinnedInFrame).not.toHaveClass(/flash/);

    // Scrolled up: the newest is out of view, so the button shows, with nothing new yet.
    const toLatest = frame.getByTestId('jump-to-latest');
    await expect(toLatest).toBeVisible();
    await expect(frame.getByTestId('jump-count')).toHaveCount(0);

    // The owner writes twice: the visitor stays where they read, and the button counts the two.
    await send(ownerPage, 'Open until 6 pm');
    await send(ownerPage, 'See you soon');
    await expect(appMessage(ownerPage, 'See you soon')).toHaveAttribute('data-state', 'delivered');
    await expect(widgetMessage(frame, 'See you soon')).toHaveCount(1);
    await expect(frame.getByTestId('jump-count')).toHaveText('2');
    await expect(toLatest).toHaveAttribute('aria-label', jump);
    await expect(pinnedInFrame).toBeInViewport();
    await expect(widgetMessage(frame, 'See you soon')).not.toBeInViewport();
    await shot('jump-count');

    // The button brings the visitor down to the newest; there it goes away.
    if (touch) await toLatest.tap();
    else await toLatest.click();
    await expect(widgetMessage(frame, 'See you soon')).toBeInViewport();
    await expect(toLatest).toHaveCount(0);
    await expect(widgetMessage(frame, 'See you soon')).toBeFocused();

    // Copy: on hover (a tap on the phone), the message's Copy puts its text on the clipboard and says so.
    const message = widgetMessage(frame, 'Open until 6 pm');
    if (touch) await message.getByTestId('widget-message-text').tap();
    else await message.hover();
    const copy = message.getByTestId('widget-copy');
    await expect(copy).toBeVisible();
    await expect(copy).toHaveText(lang === 'en' ? 'Copy' : '复制');
    if (touch) await copy.tap();
    else await copy.click();
    await expect(frame.getByTestId('chat-toast')).toHaveText(copied);
    await shot('copied');
    // The clipboard is read on the host page, which has the focus for it.
    await visitorPage.locator('#host-button').focus();
    expect(await visitorPage.evaluate(() => navigator.clipboard.readText())).toBe('Open until 6 pm');

    // Nothing overflows sideways.
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
    await ownerContext.close();
    await visitorContext.close();
  });
}

test('copy works where the host page forbids the clipboard API to frames (the older way), and the keyboard reaches it', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const { server } = own;
  const owner = await createUser(server, 'Owner');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const created = await api<SiteView>(server, 'POST', '/api/sites', {
    cookie: owner.cookie,
    body: { name: 'Shop', origins: [hostOrigin], greeting: 'Welcome!' },
  });
  expect(created.status).toBe(201);
  await page.goto(`${hostOrigin}/?site=${created.body.key}&policy=no-clipboard`);
  await launcher(page).click();
  const frame = page.frameLocator('happy-chat-widget iframe');
  await write(frame, 'Order 4711, please check');
  const message = widgetMessage(frame, 'Order 4711, please check');
  await expect(message).toHaveAttribute('data-state', 'delivered');
  // The clipboard API is refused in this frame.
  expect(
    await frame.locator('body').evaluate(() =>
      navigator.clipboard.writeText('x').then(
        () => 'allowed',
        () => 'refused',
      ),
    ),
  ).toBe('refused');
  // From the keyboard: Copy shows when it has the focus, and Enter copies.
  const copy = message.getByTestId('widget-copy');
  await copy.focus();
  await expect(copy).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(frame.getByTestId('chat-toast')).toHaveText('Copied');
  await expect(frame.getByTestId('widget-notice')).toHaveCount(0);
  await page.locator('#host-button').focus();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Order 4711, please check');
  await context.close();
});
