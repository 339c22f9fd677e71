/**
 * The embeddable widget end to end: a host page served from another origin
 * (127.0.0.1 on its own port; the chat is localhost) loads `/widget.js`, the
 * visitor chats with the site's owner in the main app, offline included, and
 * the refusals hold: an origin not on the list gets no frame and no session,
 * a wrong identity hash shows unverified, a blocked visitor is cut off.
 */
import { expect, test, type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteView } from '../shared/widget.js';
import { CHROMIUM_ARGS, CHROMIUM_LAUNCH_OPTIONS, E2E_BASE_URL } from './environment.js';
import { messageTexts, send } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext } from './people.js';
import { solidPng } from '../sync-server/testing/images.js';

interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/** A shop's page on another origin, with the one-line snippet, under a strict Content-Security-Policy. */
async function startHostSite(): Promise<HostSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const site = (url.searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    // A strict page: no inline scripts or styles; the chat's origin only where the widget needs it.
    res.setHeader(
      'content-security-policy',
      `default-src 'none'; script-src ${E2E_BASE_URL}; connect-src ${E2E_BASE_URL}; frame-src ${E2E_BASE_URL}`,
    );
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body>
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
