/**
 * The embeddable widget end to end: a host page served from another origin
 * (127.0.0.1 on its own port; the chat is localhost) loads `/widget.js`, the
 * visitor chats with the site's owner in the main app, offline included, and
 * the refusals hold: an origin not on the list gets no frame and no session,
 * a wrong identity hash shows unverified, a blocked visitor is cut off.
 */
import { expect, test, type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteView } from '../shared/widget.js';
import { CHROMIUM_ARGS, CHROMIUM_LAUNCH_OPTIONS, E2E_BASE_URL, E2E_FILE_UPLOAD_MAX_BYTES } from './environment.js';
import { messageTexts, send } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext } from './people.js';
import { solidPng } from '../sync-server/testing/images.js';

interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/** A shop's page on another origin, with the one-line snippet, under a strict Content-Security-Policy. */
async function startHostSite(lang = 'en'): Promise<HostSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const site = (url.searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    // A strict page: no inline scripts or styles; the chat's origin only where the widget needs it.
    res.setHeader(
      'content-security-policy',
      `default-src 'none'; script-src ${E2E_BASE_URL}; connect-src ${E2E_BASE_URL}; frame-src ${E2E_BASE_URL}`,
    );
    res.end(`<!doctype html><html lang="${lang}"><head><title>Shop</title></head><body>
      <h1>The shop</h1><button id="host-button">Add to cart</button>
      <script type="module" src="${E2E_BASE_URL}/widget.js" data-site="${site}"></script>
    </body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function createSite(owner: Page, origins: string[]): Promise<SiteView> {
  const created = await owner.request.post('/api/sites', {
    data: { name: 'Shop', origins, greeting: 'Welcome to the shop!' },
    headers: { origin: E2E_BASE_URL },
  });
  expect(created.status()).toBe(201);
  return (await created.json()) as SiteView;
}

/** Settings → Sites in the app: the owner makes a site and reads its key and (once) its secret. */
async function createSiteInSettings(owner: Page, origin: string): Promise<{ key: string; secret: string }> {
  await owner.getByTestId('sites-open').click();
  await owner.getByTestId('site-new').click();
  await owner.getByTestId('site-name').fill('Shop');
  await owner.getByTestId('site-origins').fill(origin);
  await owner.getByTestId('site-greeting').fill('Welcome to the shop!');
  await owner.getByTestId('site-save').click();
  const key = (await owner.getByTestId('site-key').textContent()) ?? '';
  const secret = (await owner.getByTestId('site-secret').textContent()) ?? '';
  expect(key).toMatch(/^s[a-z2-7]+$/);
  expect(secret.length).toBeGreaterThan(20);
  await expect(owner.getByTestId('site-snippet')).toHaveValue(
    `<script type="module" src="${E2E_BASE_URL}/widget.js" data-site="${key}"></script>`,
  );
  await owner.getByTestId('sheet-close').click();
  return { key, secret };
}

interface Visitor {
  context: BrowserContext;
  page: Page;
  frame: FrameLocator;
  /** Requests the visitor's browser made to the chat's widget API. */
  sessionRequests: string[];
}

async function visitHost(context: BrowserContext, host: HostSite, site: string): Promise<Visitor> {
  const page = await context.newPage();
  const sessionRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/widget/session')) sessionRequests.push(request.url());
  });
  await page.goto(`${host.origin}/?site=${site}`);
  // What the host page hears through the JS API.
  await page.evaluate(() => {
    const api = (window as unknown as { HappyChat: { on(name: string, fn: (detail: unknown) => void): void } }).HappyChat;
    const heard: string[] = [];
    (window as unknown as { heard: string[] }).heard = heard;
    for (const name of ['ready', 'open', 'close', 'message'])
      api.on(name, (detail) => heard.push(name === 'message' ? `message: ${(detail as { preview: string }).preview}` : name));
  });
  return { context, page, frame: page.frameLocator('happy-chat-widget iframe'), sessionRequests };
}

/** Where Chromium sends a frame whose page refused to be framed. */
const BLOCKED_FRAME_URL = 'chrome-error://chromewebdata/';

const launcher = (page: Page) => page.locator('happy-chat-widget').locator('button.launcher');
const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
const widgetTexts = (frame: FrameLocator) => frame.getByTestId('widget-message-text');
const hostApi = (page: Page, call: string) => page.evaluate(call);

async function write(frame: FrameLocator, text: string): Promise<void> {
  await frame.getByTestId('widget-composer-input').fill(text);
  await frame.getByTestId('widget-composer-input').press('Enter');
}

async function openVisitorChat(owner: Page, titlePart: string): Promise<void> {
  await owner.getByTestId('conversation-item').filter({ hasText: titlePart }).click();
}

/**
 * Firefox, Safari and Chrome with third-party cookies allowed give a
 * third-party frame its own storage, partitioned by the top-level site. This
 * Chromium blocks third-party cookies, and with them all third-party storage,
 * unless told otherwise: the main flow's visitor browses as most visitors do.
 * The other tests keep the default, where the visitor lasts as long as the page.
 */
const partitionedStorage = {
  ...CHROMIUM_LAUNCH_OPTIONS,
  args: [...CHROMIUM_ARGS, '--disable-features=TrackingProtection3pcd'],
};

test('a visitor on another origin chats with the owner, offline included, and can be cut off', async ({ browser, playwright }) => {
  const host = await startHostSite();
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSiteInSettings(owner.page, host.origin);
  const visitorBrowser = await playwright.chromium.launch(partitionedStorage);
  const visitor = await visitHost(await visitorBrowser.newContext({ viewport: { width: 1280, height: 800 } }), host, site.key);

  // The launcher is there; the frame is made only when the visitor opens it.
  await expect(launcher(visitor.page)).toHaveAttribute('aria-expanded', 'false');
  await expect(visitor.page.locator('happy-chat-widget iframe')).toHaveCount(0);
  await launcher(visitor.page).click();
  await expect(launcher(visitor.page)).toHaveAttribute('aria-expanded', 'true');
  await expect(visitor.frame.getByTestId('widget-greeting')).toHaveText('Welcome to the shop!');
  await expect(visitor.frame.getByTestId('widget-title')).toHaveText('Shop');

  await write(visitor.frame, 'Do you ship to Lyon?');
  await expect(visitor.frame.getByTestId('widget-message')).toHaveAttribute('data-state', 'delivered');
  // The visitor's token lives in the frame's own storage; the host page has nothing of it.
  expect(await visitor.page.evaluate(() => Object.keys(localStorage).length + document.cookie.length)).toBe(0);

  // The owner sees the visitor live in the normal list and answers from the app.
  await openVisitorChat(owner.page, '· Shop');
  await expect(messageTexts(owner.page)).toHaveText(['Do you ship to Lyon?']);
  await send(owner.page, 'Yes, in two days.');
  await expect(widgetTexts(visitor.frame)).toHaveText(['Do you ship to Lyon?', 'Yes, in two days.']);
  await expect.poll(() => heard(visitor.page)).toEqual(['open', 'ready', 'message: Yes, in two days.']);

  // Offline: the message waits in the frame's IndexedDB and goes out once, when the network is back.
  await visitor.context.setOffline(true);
  await expect(visitor.frame.getByTestId('widget-notice')).toHaveAttribute('data-kind', 'offline');
  await write(visitor.frame, 'Written in the tunnel');
  await expect(visitor.frame.locator('[data-testid="widget-message"][data-state="pending"]')).toHaveCount(1);
  await expect(messageTexts(owner.page)).toHaveCount(2);
  await visitor.context.setOffline(false);
  await expect(visitor.frame.locator('[data-testid="widget-message"][data-state="delivered"]')).toHaveCount(3);
  await expect(messageTexts(owner.page)).toHaveText(['Do you ship to Lyon?', 'Yes, in two days.', 'Written in the tunnel']);
  await owner.page.reload();
  await openVisitorChat(owner.page, '· Shop');
  await expect(messageTexts(owner.page)).toHaveText(['Do you ship to Lyon?', 'Yes, in two days.', 'Written in the tunnel']);

  // Identity: a wrong hash is only a claim; the right one names the visitor.
  await hostApi(visitor.page, `HappyChat.setUser({ id: 'customer-42', name: 'Zoë', hash: 'deadbeef' })`);
  await expect(owner.page.getByTestId('conversation-item').filter({ hasText: '(says: Zoë) · Shop' })).toHaveCount(1);
  // Identity hash v2 (docs/EMBEDDING.md): id, name and email (here none) signed together.
  const hash = createHmac('sha256', site.secret).update('v2\ncustomer-42\nZoë\n').digest('hex');
  await hostApi(visitor.page, `HappyChat.setUser({ id: 'customer-42', name: 'Zoë', hash: '${hash}' })`);
  await expect(owner.page.getByTestId('conversation-item').filter({ hasText: /^Zoë · Shop$/ })).toHaveCount(1);

  // Escape inside the frame closes it and gives focus back to the launcher.
  await visitor.frame.getByTestId('widget-composer-input').press('Escape');
  await expect(launcher(visitor.page)).toHaveAttribute('aria-expanded', 'false');
  await expect(launcher(visitor.page)).toBeFocused();
  await launcher(visitor.page).click();

  // The owner blocks the visitor from the conversation: the open chat stops, and coming back gives no new identity.
  await owner.page.getByTestId('block-visitor').click();
  await owner.page.getByTestId('block-visitor-confirm').click();
  await expect(owner.page.getByTestId('visitor-blocked')).toBeVisible();
  await expect(visitor.frame.getByTestId('widget-notice')).toHaveAttribute('data-kind', 'blocked');
  await expect(visitor.frame.getByTestId('widget-composer-input')).toBeDisabled();
  await visitor.page.reload();
  await launcher(visitor.page).click();
  await expect(visitor.frame.getByTestId('widget-notice')).toHaveAttribute('data-kind', 'blocked');
  await expect(widgetTexts(visitor.frame)).toHaveCount(0);

  await visitorBrowser.close();
  await owner.context.close();
  await host.close();
});

test('a page on an origin not on the list gets no frame and no session', async ({ browser }) => {
  const [allowed, other] = [await startHostSite(), await startHostSite()];
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSite(owner.page, [allowed.origin]);
  const visitor = await visitHost(await browser.newContext(), other, site.key);

  await launcher(visitor.page).click();
  // CSP frame-ancestors keeps our page out of the frame: the browser puts its own error page there, so
  // none of our code runs in it (the session request would come from that code, after the frame loaded).
  await expect(visitor.page.locator('happy-chat-widget iframe')).toHaveCount(1);
  await expect.poll(() => visitor.page.frames().map((frame) => frame.url())).toContain(BLOCKED_FRAME_URL);
  await expect(visitor.frame.locator('embed-chat')).toHaveCount(0);
  expect(visitor.sessionRequests).toEqual([]);
  expect(await heard(visitor.page)).toEqual(['open']);

  await visitor.context.close();
  await owner.context.close();
  await Promise.all([allowed.close(), other.close()]);
});

test('on a phone the chat is full screen, and it survives the host page re-rendering', async ({ browser }) => {
  const host = await startHostSite();
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSite(owner.page, [host.origin]);
  const visitor = await visitHost(await browser.newContext({ viewport: { width: 390, height: 740 } }), host, site.key);

  await hostApi(visitor.page, 'HappyChat.open()');
  await expect(visitor.frame.getByTestId('widget-greeting')).toBeVisible();
  const panel = await visitor.page.locator('happy-chat-widget').locator('.panel').boundingBox();
  expect(panel).toMatchObject({ x: 0, y: 0, width: 390, height: 740 });
  // The launcher hides under the full-screen chat; the frame's own button closes it.
  await expect(launcher(visitor.page)).toBeHidden();
  await visitor.frame.getByTestId('widget-close').click();
  await expect(launcher(visitor.page)).toBeVisible();

  // A single-page app replaces its whole body: the launcher comes back and still works.
  await visitor.page.evaluate(() => (document.body.innerHTML = '<h1>Another page</h1>'));
  await expect(launcher(visitor.page)).toBeVisible();
  await launcher(visitor.page).click();
  await write(visitor.frame, 'Still here');
  await expect(visitor.frame.getByTestId('widget-message')).toHaveAttribute('data-state', 'delivered');

  await visitor.context.close();
  await owner.context.close();
  await host.close();
});

test('Settings → Sites: edit, new secret, teammates, delete', async ({ browser }) => {
  const owner = await personInNewContext(browser, 'Owner');
  const friend = await personInNewContext(browser, 'Helper');
  await befriend(owner, friend);
  owner.page.on('dialog', (dialog) => void dialog.accept());
  const { key, secret } = await createSiteInSettings(owner.page, 'https://shop.example');
  await owner.page.getByTestId('sites-open').click();
  // The secret was shown once: a fresh panel does not have it.
  await expect(owner.page.getByTestId('site-key')).toHaveText(key);
  await expect(owner.page.getByTestId('site-secret')).toHaveCount(0);

  await owner.page.getByTestId('site-edit').click();
  await owner.page.getByTestId('site-name').fill('Shop & blog');
  await owner.page.getByTestId('site-origins').fill('https://shop.example\nhttps://blog.example/');
  await owner.page.getByTestId('site-save').click();
  await expect(owner.page.getByTestId('site-title')).toHaveText('Shop & blog');
  await expect(owner.page.getByTestId('site-origin-list')).toHaveText('https://shop.example, https://blog.example');

  await owner.page.getByTestId('site-rotate').click();
  await expect(owner.page.getByTestId('site-secret')).not.toHaveText(secret);

  await owner.page.getByText('Teammates (0)').click();
  await owner.page.getByTestId('site-team').getByLabel('Helper').check();
  await owner.page.getByTestId('site-team').getByRole('button', { name: 'Save teammates' }).click();
  await expect(owner.page.getByText('Teammates (1)')).toBeVisible();

  await owner.page.getByTestId('site-delete').click();
  await expect(owner.page.getByTestId('site-key')).toHaveCount(0);
  const listed = await owner.page.request.get('/api/sites');
  expect(await listed.json()).toEqual([]);

  await owner.context.close();
  await friend.context.close();
});

test('opening the bubble lists nothing for the owner; the first message does (issue 15, phone visitor)', async ({ browser }) => {
  const host = await startHostSite();
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSite(owner.page, [host.origin]);
  const visitor = await visitHost(await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true }), host, site.key);

  await launcher(visitor.page).click();
  await expect(visitor.frame.getByTestId('widget-greeting')).toBeVisible();
  await expect.poll(() => heard(visitor.page)).toContain('ready');
  // The owner's list, fresh from the server after the visitor arrived.
  await owner.page.reload();
  await expect(owner.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');
  await expect(owner.page.getByTestId('conversation-item').filter({ hasText: 'Happy Robot' })).toBeVisible();
  await expect(owner.page.getByTestId('conversation-item').filter({ hasText: '· Shop' })).toHaveCount(0);
  await owner.page.screenshot({ path: '/tmp/issue15-shots/2-owner-list-after-bubble-opened-desktop.png' });

  await write(visitor.frame, 'Is the red one in stock?');
  await expect(owner.page.getByTestId('conversation-item').filter({ hasText: '· Shop' })).toHaveCount(1);
  await openVisitorChat(owner.page, '· Shop');
  await expect(messageTexts(owner.page)).toHaveText(['Is the red one in stock?']);
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/2-visitor-wrote-phone.png' });

  await visitor.context.close();
  await owner.context.close();
  await host.close();
});

test('files and voice messages go both ways between the owner and a visitor (issue 15; desktop owner, phone visitor)', async ({
  playwright,
}) => {
  // Chromium's fake microphone, granted without asking.
  const browser = await playwright.chromium.launch({
    ...CHROMIUM_LAUNCH_OPTIONS,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  const host = await startHostSite();
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSite(owner.page, [host.origin]);
  const visitor = await visitHost(await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true }), host, site.key);
  await launcher(visitor.page).click();
  await write(visitor.frame, 'Here is my order');
  await openVisitorChat(owner.page, '· Shop');
  await expect(messageTexts(owner.page)).toHaveText(['Here is my order']);

  // The visitor's file reaches the owner, who downloads the same bytes.
  const order = Buffer.from('order 42: one lamp, 出货地址 上海\n');
  await visitor.frame.getByTestId('widget-picture-input').setInputFiles({ name: 'order.txt', mimeType: 'text/plain', buffer: order });
  await expect(visitor.frame.getByTestId('widget-file').getByTestId('file-name')).toHaveText('order.txt');
  const ownersCopy = owner.page.getByTestId('message-file');
  await expect(ownersCopy.getByTestId('file-name')).toHaveText('order.txt');
  const [fromVisitor] = await Promise.all([owner.page.waitForEvent('download'), ownersCopy.getByTestId('file-download').click()]);
  expect((await readFile(await fromVisitor.path())).equals(order)).toBe(true);

  // The owner's file shows in the frame, which downloads it with the visitor's token.
  const manual = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
  await owner.page.getByTestId('picture-input').setInputFiles({ name: 'manual.pdf', mimeType: 'application/pdf', buffer: manual });
  // Sent on the owner's side first (both files delivered there), then shown in the frame.
  await expect(owner.page.locator('[data-testid="message"][data-state="delivered"]').getByTestId('message-file')).toHaveCount(2);
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/2-visitor-files-phone.png' });
  await expect(visitor.frame.getByTestId('widget-file')).toHaveCount(2);
  const visitorsCopy = visitor.frame.getByTestId('widget-file').nth(1);
  await expect(visitorsCopy.getByTestId('file-name')).toHaveText('manual.pdf');
  await expect(visitorsCopy.getByTestId('file-size')).toHaveText('5 kB');
  const [fromOwner] = await Promise.all([visitor.page.waitForEvent('download'), visitorsCopy.getByTestId('file-download').click()]);
  expect(fromOwner.suggestedFilename()).toBe('manual.pdf');
  expect((await readFile(await fromOwner.path())).equals(manual)).toBe(true);

  // A voice message from the visitor plays for the owner.
  await visitor.frame.getByTestId('widget-voice-button').click();
  await expect(visitor.frame.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 5000 });
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/2-visitor-records-voice-phone.png' });
  await visitor.frame.getByTestId('voice-send').click();
  await expect(visitor.frame.getByTestId('widget-voice').getByTestId('voice-duration')).toHaveText('0:01');
  const ownersVoice = owner.page.getByTestId('message-voice');
  await expect(ownersVoice.getByTestId('voice-duration')).toHaveText('0:01');
  await ownersVoice.getByTestId('voice-play').click();
  await expect(ownersVoice.getByTestId('voice-play')).toHaveAttribute('aria-label', 'Pause voice message');
  // And the visitor can play what they sent: fetched with their token, played from its object URL.
  await expect(visitor.frame.getByTestId('widget-voice').getByTestId('voice-play')).toBeEnabled();
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/2-visitor-files-and-voice-phone.png' });
  await owner.page.screenshot({ path: '/tmp/issue15-shots/2-owner-files-and-voice-desktop.png' });

  await visitor.context.close();
  await owner.context.close();
  await host.close();
  await browser.close();
});

test('pictures go both ways between the owner and a visitor (issue 15; desktop owner, phone visitor)', async ({ browser }) => {
  const host = await startHostSite();
  const owner = await personInNewContext(browser, 'Owner');
  const site = await createSite(owner.page, [host.origin]);
  const visitor = await visitHost(await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true }), host, site.key);
  await launcher(visitor.page).click();
  await write(visitor.frame, 'What does it look like?');
  await openVisitorChat(owner.page, '· Shop');
  await expect(messageTexts(owner.page)).toHaveText(['What does it look like?']);

  // A picture alone, no caption: the visitor sees the picture, not an empty bubble.
  await owner.page
    .getByTestId('picture-input')
    .setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: solidPng(40, 30, [200, 40, 40]) });
  await expect(owner.page.getByTestId('staged-picture')).toBeVisible();
  await owner.page.getByTestId('composer-send').click();
  const seenByVisitor = visitor.frame.getByTestId('widget-picture');
  await expect(seenByVisitor).toHaveAttribute('data-state', 'shown');
  await expect.poll(() => seenByVisitor.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/1-visitor-sees-picture-phone.png' });

  // The visitor answers with a picture of their own.
  await visitor.frame
    .getByTestId('widget-picture-input')
    .setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: solidPng(24, 18, [40, 160, 40]) });
  await expect(visitor.frame.getByTestId('widget-picture')).toHaveCount(2);
  const seenByOwner = owner.page.getByTestId('message-image');
  await expect(seenByOwner).toHaveCount(2);
  await expect.poll(() => seenByOwner.nth(1).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(24);
  await expect(visitor.frame.getByTestId('widget-picture').nth(1)).toHaveAttribute('data-state', 'shown');
  await visitor.page.screenshot({ path: '/tmp/issue15-shots/1-visitor-sent-picture-phone.png' });
  await owner.page.screenshot({ path: '/tmp/issue15-shots/1-owner-sees-visitor-picture-desktop.png' });

  await visitor.context.close();
  await owner.context.close();
  await host.close();
});

test("a file over the server's limit is refused in the frame before it is sent, in the page's language (1280×800 and 360×740)", async ({
  browser,
}) => {
  const owner = await personInNewContext(browser, 'Owner');
  const cases = [
    { lang: 'en', width: 1280, height: 800, says: ['huge.zip is larger than 8 MB, the most that can be sent.'] },
    { lang: 'en', width: 360, height: 740, says: ['huge.zip is larger than 8 MB, the most that can be sent.'] },
    { lang: 'zh-CN', width: 1280, height: 800, says: ['huge.zip 超过了', '无法发送'] },
    { lang: 'zh-CN', width: 360, height: 740, says: ['huge.zip 超过了', '无法发送'] },
  ] as const;
  for (const { lang, width, height, says } of cases) {
    const host = await startHostSite(lang);
    const site = await createSite(owner.page, [host.origin]);
    const visitor = await visitHost(await browser.newContext({ viewport: { width, height }, hasTouch: width < 600 }), host, site.key);
    const uploads: string[] = [];
    visitor.page.on('request', (request) => {
      if (request.url().includes('/api/widget/files')) uploads.push(request.url());
    });
    await launcher(visitor.page).click();
    await write(visitor.frame, lang === 'en' ? 'Can I send the plans?' : '我可以发图纸吗？');
    await expect(visitor.frame.getByTestId('widget-sync')).toHaveAttribute('data-status', 'online');

    // The e2e server's FILE_UPLOAD_MAX_BYTES is 8 MB, not the default 20 MB: the frame asks the server (it said 20 MB, after the upload failed).
    await visitor.frame
      .getByTestId('widget-picture-input')
      .setInputFiles({ name: 'huge.zip', mimeType: 'application/zip', buffer: Buffer.alloc(E2E_FILE_UPLOAD_MAX_BYTES + 1) });
    const notice = visitor.frame.getByTestId('widget-notice');
    await expect(notice).toHaveAttribute('data-kind', 'file-refused');
    for (const words of says) await expect(notice).toContainText(words);
    await expect(visitor.frame.getByTestId('widget-file')).toHaveCount(0);
    // Nothing wider than the frame: its rows took the message box's own 20 columns, 411 px in a 380 px panel (Send and × cut off).
    expect(await visitor.frame.locator('body').evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
    await visitor.page.screenshot({ path: `/tmp/shots/widget-file-too-large-${lang}-${width}.png` });
    expect(uploads).toEqual([]);

    // A file within the limit goes, and the notice goes with it.
    await visitor.frame
      .getByTestId('widget-picture-input')
      .setInputFiles({ name: 'plans.txt', mimeType: 'text/plain', buffer: Buffer.from('floor plan') });
    await expect(visitor.frame.getByTestId('widget-file').getByTestId('file-name')).toHaveText('plans.txt');
    await expect(notice).toHaveCount(0);
    expect(uploads).toHaveLength(1);
    await visitor.context.close();
    await host.close();
  }
  await owner.context.close();
});

test('the frame groups runs and opens at a "New messages" divider, as the app does (issue 15; en, zh-CN, 1280×800, 360×740)', async ({
  browser,
}) => {
  const owner = await personInNewContext(browser, 'Owner');
  const cases = [
    { lang: 'en', width: 1280, height: 800, divider: 'New messages' },
    { lang: 'zh-CN', width: 360, height: 740, divider: '新消息' },
    { lang: 'en', width: 360, height: 740, divider: 'New messages' },
    { lang: 'zh-CN', width: 1280, height: 800, divider: '新消息' },
  ] as const;
  for (const [index, { lang, width, height, divider }] of cases.entries()) {
    const host = await startHostSite(lang);
    const site = await createSite(owner.page, [host.origin]);
    const visitor = await visitHost(await browser.newContext({ viewport: { width, height }, hasTouch: width < 600 }), host, site.key);
    await launcher(visitor.page).click();
    await write(visitor.frame, 'Hello?');
    await write(visitor.frame, 'Anyone there?');
    await expect(visitor.frame.getByTestId('widget-message').filter({ hasText: 'Anyone there?' })).toHaveAttribute(
      'data-state',
      'delivered',
    );
    // Read, then closed: nothing unread yet, so no divider.
    await expect(visitor.frame.getByTestId('widget-unread-divider')).toHaveCount(0);
    await visitor.frame.getByTestId('widget-close').click();

    const conversation = owner.page.getByTestId('conversation-item').filter({ hasText: '· Shop' });
    await expect(conversation).toHaveCount(index + 1);
    await conversation.first().click();
    await expect(messageTexts(owner.page)).toHaveText(['Hello?', 'Anyone there?']);
    const answers = ['Yes, hello!', 'How can I help?', ...Array.from({ length: 8 }, (_, n) => `Line ${n + 1} of the answer`)];
    for (const answer of answers) await send(owner.page, answer);
    await expect(owner.page.getByTestId('message').filter({ hasText: answers.at(-1) })).toHaveAttribute('data-state', 'delivered');
    // The host's badge counts the answers before the visitor opens the chat.
    await expect(visitor.page.locator('happy-chat-widget').locator('.badge')).toHaveText(String(answers.length));
    await launcher(visitor.page).click();
    const messages = visitor.frame.getByTestId('widget-message');
    await expect(messages).toHaveCount(2 + answers.length);
    // One divider, right above the first answer (the visitor's own two messages were read).
    const dividerRow = visitor.frame.getByTestId('widget-unread-divider');
    await expect(dividerRow).toHaveText(divider);
    await expect(dividerRow).toBeInViewport();
    expect(
      await visitor.frame.locator('embed-message-list').evaluate((list) => {
        const rows = [...(list.shadowRoot?.querySelectorAll('li') ?? [])];
        const at = rows.findIndex((row) => row.classList.contains('unread-divider'));
        return rows[at + 1]?.textContent?.includes('Yes, hello!');
      }),
    ).toBe(true);
    // Runs: the owner's name once, over the first answer; the visitor's own run starts once and has no name.
    await expect(visitor.frame.getByTestId('widget-author')).toHaveCount(1);
    await expect(messages.filter({ hasText: 'Yes, hello!' }).getByTestId('widget-author')).toHaveText('Owner');
    await expect(messages.filter({ hasText: 'How can I help?' })).toHaveAttribute('data-run', 'cont');
    await expect(messages.filter({ hasText: 'Hello?' })).toHaveAttribute('data-run', 'first');
    await expect(messages.filter({ hasText: 'Anyone there?' })).toHaveAttribute('data-run', 'cont');
    expect(await visitor.frame.locator('body').evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
    await visitor.page.screenshot({ path: `/tmp/shots/widget-runs-divider-${lang}-${width}.png` });

    // Everything was read on opening: opened again, no divider.
    await visitor.frame.getByTestId('widget-close').click();
    await launcher(visitor.page).click();
    await expect(messages).toHaveCount(2 + answers.length);
    await expect(dividerRow).toHaveCount(0);
    await visitor.context.close();
    await host.close();
  }
  await owner.context.close();
});
