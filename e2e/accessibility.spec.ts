/**
 * Accessibility (issue 16): axe-core's WCAG 2.1 AA rules and best practices
 * on every screen, at desktop and phone size, in English and Chinese, with
 * zero violations (the chat's tools and account states:
 * accessibility-features.spec.ts). Each
 * test collects every screen's findings before asserting, so one run names
 * all that is broken.
 */
import { expect, test, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteView } from '../shared/widget.js';
import { axeFindings, type AxeFinding } from './axe.js';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, VIEWPORTS } from './people.js';
import { clickHeaderAction } from './chat-header.js';
import { E2E_BASE_URL } from './environment.js';

/** Closes the panel on top and waits until it is gone. */
async function closeSheet(page: Page): Promise<void> {
  await page.getByTestId('sheet-close').click();
  await expect(page.getByTestId('side-sheet')).toHaveCount(0);
}

// Both languages: Chinese texts are longer or shorter, and wrap elsewhere.
for (const { viewport, locale } of VIEWPORTS.flatMap((viewport) => ['en', 'zh-CN'].map((locale) => ({ viewport, locale })))) {
  test(`every screen passes axe at ${viewport.name} size in ${locale}`, async ({ browser }) => {
    const findings: AxeFinding[] = [];
    const check = async (page: Page, screen: string) => findings.push(...(await axeFindings(page, `${locale} ${viewport.name} ${screen}`)));

    const signedOut = await browser.newContext({ viewport: viewport.size, locale });
    const visitor = await signedOut.newPage();
    await visitor.goto('/');
    await expect(visitor.getByTestId('signin-submit')).toBeVisible();
    await check(visitor, 'sign-in');
    await visitor.getByTestId('goto-signup').click();
    await expect(visitor.getByTestId('signup-submit')).toBeVisible();
    await check(visitor, 'sign-up');
    await signedOut.close();

    const alice = await personInNewContext(browser, 'Alice', viewport.size, { locale });
    const bob = await personInNewContext(browser, 'Bob', viewport.size, { locale });
    await befriend(alice, bob);
    await startDirectChat(bob.page, alice.person);
    await send(bob.page, 'Hello Alice');
    await expect(bob.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');

    // The list, with an unread conversation in it.
    await expect(alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' })).toBeVisible();
    await check(alice.page, 'conversation list');

    // An open chat: a message each way, Alice's read by Bob.
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    await send(alice.page, 'Hi Bob');
    await expect(alice.page.getByTestId('message')).toHaveCount(2);
    await check(alice.page, 'open chat');
    if (viewport.name === 'phone') {
      // The header's "More" menu, open.
      await alice.page.getByTestId('header-more').click();
      await check(alice.page, 'chat header menu');
      await alice.page.keyboard.press('Escape');
    }

    await clickHeaderAction(alice.page, 'peer-profile');
    await expect(alice.page.getByTestId('side-sheet')).toBeVisible();
    await check(alice.page, 'person profile');
    await closeSheet(alice.page);

    // On a phone the open chat takes the whole screen: my profile, with Sites and Sign out, is reached from the list.
    if (viewport.name === 'phone') await alice.page.getByTestId('back').click();
    await alice.page.getByTestId('profile-edit').click();
    await expect(alice.page.getByTestId('side-sheet')).toBeVisible();
    await check(alice.page, 'my profile');
    if (viewport.name === 'desktop') await closeSheet(alice.page);

    await alice.page.getByTestId('sites-open').click();
    await expect(alice.page.getByTestId('side-sheet').last()).toBeVisible();
    await check(alice.page, 'sites');
    if (viewport.name === 'phone') {
      // Sites opened over my profile: closing it goes back there.
      await alice.page.getByTestId('sheet-close').last().click();
      await expect(alice.page.getByTestId('side-sheet')).toHaveCount(1);
    }
    await closeSheet(alice.page);

    await alice.page.getByTestId('group-create').click();
    await alice.page.getByTestId('group-title-input').fill('Climbing');
    await alice.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
    await check(alice.page, 'new group');
    await alice.page.getByTestId('group-create-submit').click();
    await expect(alice.page.getByTestId('conversation-title')).toHaveText('Climbing');
    await clickHeaderAction(alice.page, 'group-info');
    await expect(alice.page.getByTestId('member-item')).toHaveCount(2);
    await check(alice.page, 'group info');

    await alice.context.close();
    await bob.context.close();
    expect(findings).toEqual([]);
  });
}

/** An accessible shop page on another origin with the widget's one-line snippet; `origin` is what the site allows. */
async function startShopPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const site = (new URL(req.url ?? '/', 'http://host').searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body>
      <main><h1>The shop</h1><p>Boots and tents.</p></main>
      <script type="module" src="${E2E_BASE_URL}/widget.js" data-site="${site}"></script>
    </body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

for (const viewport of VIEWPORTS) {
  test(`the widget passes axe at ${viewport.name} size`, async ({ browser }) => {
    const findings: AxeFinding[] = [];
    const shop = await startShopPage();
    const owner = await personInNewContext(browser, 'Owner');
    const created = await owner.page.request.post('/api/sites', {
      data: { name: 'Shop', origins: [shop.origin], greeting: 'Welcome to the shop!' },
      headers: { origin: E2E_BASE_URL },
    });
    expect(created.status()).toBe(201);
    const site = (await created.json()) as SiteView;

    const visitorContext = await browser.newContext({ viewport: viewport.size });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${shop.origin}/?site=${site.key}`);
    const launcher = visitor.locator('happy-chat-widget').locator('button.launcher');
    await expect(launcher).toBeVisible();
    findings.push(...(await axeFindings(visitor, `${viewport.name} widget closed`)));

    await launcher.click();
    const frame = visitor.frameLocator('happy-chat-widget iframe');
    await expect(frame.getByTestId('widget-greeting')).toHaveText('Welcome to the shop!');
    await frame.getByTestId('widget-composer-input').fill('Do you ship to Lyon?');
    await frame.getByTestId('widget-composer-input').press('Enter');
    await expect(frame.getByTestId('widget-message')).toHaveAttribute('data-state', 'delivered');
    await owner.page.getByTestId('conversation-item').filter({ hasText: '· Shop' }).click();
    await send(owner.page, 'Yes, in two days.');
    await expect(frame.getByTestId('widget-message-text')).toHaveText(['Do you ship to Lyon?', 'Yes, in two days.']);
    findings.push(...(await axeFindings(visitor, `${viewport.name} widget open`)));

    await visitorContext.close();
    await owner.context.close();
    await shop.close();
    expect(findings).toEqual([]);
  });
}

/** How far the page reaches past the viewport's right edge (0: no sideways scrolling). */
const overflowRight = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * WCAG 1.4.10 (reflow) and 1.4.4 (resize text): a 320 px wide phone, and a
 * 1280×800 desktop at 200 % zoom, which lays the page out in 640×400 CSS pixels.
 */
const REFLOW_SIZES = [
  { name: 'at 320 px wide', size: { width: 320, height: 640 } },
  { name: 'at 200 % zoom of 1280×800', size: { width: 640, height: 400 } },
] as const;

for (const { name, size: narrow } of REFLOW_SIZES) {
  test(`${name} nothing needs sideways scrolling, and the message box and Send fit`, async ({ browser }) => {
    const signedOut = await browser.newContext({ viewport: narrow });
    const visitor = await signedOut.newPage();
    await visitor.goto('/');
    await expect(visitor.getByTestId('signin-submit')).toBeVisible();
    expect(await overflowRight(visitor)).toBe(0);
    await signedOut.close();

    const alice = await personInNewContext(browser, 'Alice', narrow);
    const bob = await personInNewContext(browser, 'Bob', narrow);
    await befriend(alice, bob);
    expect(await overflowRight(alice.page)).toBe(0);
    await startDirectChat(alice.page, bob.person);
    await send(alice.page, 'A fairly long first message that has to wrap inside a narrow phone screen');
    await expect(alice.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
    expect(await overflowRight(alice.page)).toBe(0);
    for (const id of ['composer-input', 'composer-send', 'conversation-title']) {
      const box = await alice.page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), id).toBeLessThanOrEqual(narrow.width);
      expect((box?.y ?? 0) + (box?.height ?? 0), id).toBeLessThanOrEqual(narrow.height);
    }
    await expect(alice.page.getByTestId('message')).toBeInViewport();
    await alice.context.close();
    await bob.context.close();
  });
}
