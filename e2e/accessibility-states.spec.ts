/**
 * Accessibility of the states the other two axe specs do not reach (issue
 * 16): axe-core's WCAG 2.1 AA rules and best practices with zero violations,
 * in English and Chinese, at 1280×800 and 360×740. The list row's menu and
 * the Archived view; group info as its owner (settings, adding members, an
 * invite link just made, and the same panel offline); the /join/<code> page
 * signed in and signed out; the Sites form new, refused and editing; blocked
 * people; storage and notification settings after their buttons answered;
 * the "new version" banner; offline notices; dark mode; a message's actions
 * opened by a finger on a touch screen; the widget on a page in the same
 * language. Also: a file's size is written with the language's plural
 * ("16 bytes", "16字节"). The people, the group, the site and the block are
 * made once (beforeAll); each language and size reuses them, signed in from
 * saved cookies. Screenshots go to /tmp/shots/a11y2 (outside the repo).
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiteView } from '../shared/widget.js';
import { axeFindings, type AxeFinding } from './axe.js';
import { send } from './chat-page.js';
import { clickHeaderAction } from './chat-header.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { E2E_BASE_URL } from './environment.js';
import { personInNewContext, type Person } from './people.js';

const SHOTS = '/tmp/shots/a11y2';
const LANGUAGES = ['en', 'zh-CN'] as const;
const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 360, height: 740 } },
] as const;

type SavedSession = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A shop page on another origin, in the language its `lang` query names, with the widget's one-line snippet. */
async function startShopPage(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://host').searchParams;
    const site = (query.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    const lang = query.get('lang') === 'zh-CN' ? 'zh-CN' : 'en';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="${lang}"><head><title>Shop</title></head><body>
      <main><h1>${lang === 'en' ? 'The shop' : '商店'}</h1><p>${lang === 'en' ? 'Boots and tents.' : '靴子和帐篷。'}</p></main>
      <script type="module" src="${E2E_BASE_URL}/widget.js" data-site="${site}"></script>
    </body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Closes every side sheet, the top one first (at most three are stacked). */
async function closeSheets(page: Page): Promise<void> {
  for (let i = 0; i < 3 && (await page.getByTestId('side-sheet').count()) > 0; i++) {
    await page.getByTestId('sheet-close').last().click();
  }
  await expect(page.getByTestId('side-sheet')).toHaveCount(0);
}

/** On a phone an open chat takes the whole screen: back to the list, if it is hidden. */
async function showList(page: Page): Promise<void> {
  const back = page.getByTestId('back');
  if (await back.isVisible()) await back.click();
  await expect(page.getByTestId('chats-tab')).toBeVisible();
}

function row(page: Page, title: string) {
  return page.locator('li').filter({ has: page.getByTestId('conversation-item').filter({ hasText: title }) });
}

function action(page: Page, name: string) {
  return page.locator(`[data-testid="conversation-action"][data-action="${name}"]`);
}

let ann: Person;
let annSession: SavedSession;
let deeSession: SavedSession;
let inviteLink = '';
let shop: { origin: string; close(): Promise<void> };
let siteKey = '';

// Ann, friends with Bob and Cy, has blocked Eve; a direct chat with Bob (a message and a file from him);
// Ann's group "Crew" with Bob, which Cy could still be added to; Ann's widget site; Dee, signed in, in no group.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  shop = await startShopPage();
  const [a, bob, cy, dee, eve] = await Promise.all(['Ann', 'Bob', 'Cy', 'Dee', 'Eve'].map((name) => personInNewContext(browser, name)));
  ann = a.person;
  await befriend(a, bob);
  await befriend(a, cy);
  const origin = new URL(a.page.url()).origin;
  const eveId = ((await (await eve.page.request.get('/api/me')).json()) as { id: string }).id;
  expect((await a.page.request.post('/api/blocks', { data: { userId: eveId }, headers: { origin } })).ok()).toBe(true);
  const created = await a.page.request.post('/api/sites', {
    data: { name: 'Shop', origins: [shop.origin], greeting: 'Welcome to the shop!' },
    headers: { origin: E2E_BASE_URL },
  });
  expect(created.status()).toBe(201);
  siteKey = ((await created.json()) as SiteView).key;

  await startDirectChat(bob.page, ann);
  await send(bob.page, 'Hello Ann');
  await bob.page
    .getByTestId('picture-input')
    .setInputFiles({ name: 'list.txt', mimeType: 'text/plain', buffer: Buffer.from('sixteen bytes!!\n') });
  await expect(bob.page.locator('[data-testid="message"][data-state="delivered"]').getByTestId('message-file')).toHaveCount(1);

  await a.page.getByTestId('group-create').click();
  await a.page.getByTestId('group-title-input').fill('Crew');
  await a.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
  await a.page.getByTestId('group-create-submit').click();
  await expect(a.page.getByTestId('conversation-title')).toHaveText('Crew');
  await send(a.page, 'Welcome to the crew');
  await clickHeaderAction(a.page, 'group-info');
  await a.page.getByTestId('invite-create').click();
  inviteLink = new URL(await a.page.getByTestId('invite-link').inputValue()).pathname;

  annSession = await a.context.storageState();
  deeSession = await dee.context.storageState();
  await Promise.all([a, bob, cy, dee, eve].map((someone) => someone.context.close()));
});

test.afterAll(async () => {
  await shop?.close();
});

/** A context of `language` and `size` signed in from `session` (or signed out), on the app's first page. */
async function openApp(
  browser: Browser,
  language: string,
  viewport: { width: number; height: number },
  session?: SavedSession,
  touch = false,
) {
  const context = await browser.newContext({
    locale: language,
    viewport,
    storageState: session,
    hasTouch: touch,
    isMobile: touch && viewport.width < 600,
  });
  const page = await context.newPage();
  return { context, page };
}

for (const language of LANGUAGES) {
  for (const size of SIZES) {
    test(`${language} at ${size.name} size: list menu, archive, group admin, invites, join, sites, blocked, settings, banner, offline, dark, touch and widget states pass axe`, async ({
      browser,
    }) => {
      test.setTimeout(300_000);
      const findings: AxeFinding[] = [];
      const look = async (page: Page, screen: string) => {
        await page.screenshot({ path: `${SHOTS}/${language}-${size.name}-${screen.replaceAll(' ', '-')}.png` });
        const found = await axeFindings(page, `${language} ${size.name} ${screen}`);
        if (found.length > 0) console.log(JSON.stringify(found));
        findings.push(...found);
      };
      const { context, page } = await openApp(browser, language, size.viewport, annSession);
      await page.goto('/');
      await expect(page.getByTestId('current-user')).toHaveText(ann.name);

      // The list row's menu, then Archive, the Archived row, the Archived view, and Unarchive.
      await row(page, 'Bob').getByTestId('conversation-menu').click();
      await expect(action(page, 'archive')).toBeVisible();
      await look(page, 'list row menu');
      await action(page, 'archive').click();
      await expect(page.getByTestId('archived-entry')).toBeVisible();
      await look(page, 'list with archived row');
      await page.getByTestId('archived-entry').click();
      await expect(page.getByTestId('archived-back')).toBeVisible();
      await look(page, 'archived view');
      await row(page, 'Bob').getByTestId('conversation-menu').click();
      await action(page, 'unarchive').click();
      await expect(page.getByTestId('archived-entry')).toHaveCount(0);

      // A file's size in the language's words, with its plural.
      await page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
      await expect(page.getByTestId('message-file')).toContainText(language === 'en' ? '16 bytes' : '16字节');
      await showList(page);

      // Group info as its owner: settings, invite links, adding a friend who is not in it yet.
      await page.getByTestId('conversation-item').filter({ hasText: 'Crew' }).click();
      await clickHeaderAction(page, 'group-info');
      await expect(page.getByTestId('group-settings-save')).toBeVisible();
      await look(page, 'group info as owner');
      const invites = await page.getByTestId('invite-item').count();
      await page.getByTestId('invite-create').click();
      await expect(page.getByTestId('invite-item')).toHaveCount(invites + 1);
      await page.getByTestId('invite-link').scrollIntoViewIfNeeded();
      await look(page, 'invite link made');
      await page.getByTestId('group-add-option').filter({ hasText: 'Cy' }).click();
      await page.getByTestId('group-add-submit').scrollIntoViewIfNeeded();
      await look(page, 'adding members');
      await page.getByTestId('group-rename-input').fill('Crew');
      await page.getByTestId('group-notice-input').scrollIntoViewIfNeeded();
      await look(page, 'group settings');

      // Offline: the panel's actions wait, the header says so; then the list.
      await context.setOffline(true);
      await expect(page.getByTestId('invite-create')).toBeDisabled();
      await look(page, 'group info offline');
      await closeSheets(page);
      await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
      await look(page, 'chat offline');
      await showList(page);
      await look(page, 'list offline');
      await context.setOffline(false);
      await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');

      // Dark mode: the list and an open chat.
      await page.emulateMedia({ colorScheme: 'dark' });
      await look(page, 'list dark');
      await page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
      await expect(page.getByTestId('message-file')).toBeVisible();
      await look(page, 'chat dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await showList(page);

      // Blocked people, opened.
      await page.getByTestId('friends-tab').click();
      await page.getByTestId('blocked-toggle').click();
      await expect(page.getByTestId('blocked-item')).toHaveCount(1);
      await page.getByTestId('blocked-item').scrollIntoViewIfNeeded();
      await look(page, 'blocked people');
      await page.getByTestId('chats-tab').click();

      // Storage and notification settings after their buttons answered.
      await page.getByTestId('profile-edit').click();
      await page.getByTestId('storage-persist').click();
      await expect(page.getByTestId('storage-state')).toContainText(language === 'en' ? 'did not grant' : '浏览器没有允许');
      await expect(page.getByTestId('storage-persist')).toBeEnabled();
      await page.getByTestId('storage-state').scrollIntoViewIfNeeded();
      await look(page, 'storage refused');
      const content = page.getByTestId('push-content-toggle');
      await expect(content).toBeEnabled();
      await content.click();
      await expect(content).not.toBeChecked();
      await expect(content).toBeEnabled();
      await page.getByTestId('push-digest-select').selectOption('480');
      await expect(page.getByTestId('push-digest-select')).toBeEnabled();
      await expect(page.getByTestId('push-device-note')).not.toHaveText(/Checking…|正在检查/);
      await page.getByTestId('notification-settings').scrollIntoViewIfNeeded();
      await look(page, 'notification settings changed');
      await content.click();
      await expect(content).toBeChecked();
      await page.getByTestId('push-digest-select').selectOption('');
      await expect(page.getByTestId('push-digest-select')).toBeEnabled();

      // Sites (in the header on a desktop, in my profile on a phone): a new site's form, its refusal, and editing the site.
      const openSites = async () => {
        await closeSheets(page);
        if (size.name === 'phone') await page.getByTestId('profile-edit').click();
        await page.getByTestId('sites-open').click();
      };
      await openSites();
      await page.getByTestId('site-new').click();
      await expect(page.getByTestId('site-form')).toBeVisible();
      await look(page, 'site form new');
      await page.getByTestId('site-name').fill('Blog');
      await page.getByTestId('site-origins').fill('not an address');
      await page.getByTestId('site-save').click();
      await expect(page.getByTestId('site-form').getByRole('alert')).toBeVisible();
      await look(page, 'site form refused');
      await openSites();
      await page.getByTestId('site-edit').click();
      await expect(page.getByTestId('site-name')).toHaveValue('Shop');
      await look(page, 'site form editing');
      await closeSheets(page);

      // "New version available": the banner main.ts shows when a new service worker waits.
      await page.waitForFunction(() => customElements.get('update-banner') !== undefined);
      await page.evaluate(() => document.body.append(document.createElement('update-banner')));
      await expect(page.getByTestId('update-banner')).toBeVisible();
      await look(page, 'update banner');
      await context.close();

      // A message's actions opened by a finger, on a touch screen of this size.
      const touch = await openApp(browser, language, size.viewport, annSession, true);
      await touch.page.goto('/');
      await touch.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).tap();
      const hello = touch.page.getByTestId('message').filter({ hasText: 'Hello Ann' });
      await hello.getByTestId('message-text').tap();
      await expect(hello.getByTestId('message-reply')).toBeVisible();
      await look(touch.page, 'message actions by touch');
      await touch.context.close();

      // The invite's page, signed in (Dee, in no group) and signed out.
      const dee = await openApp(browser, language, size.viewport, deeSession);
      await dee.page.goto(inviteLink);
      await expect(dee.page.getByTestId('join-title')).toHaveText('Crew');
      await expect(dee.page.getByTestId('join-group')).toBeVisible();
      await look(dee.page, 'join signed in');
      await dee.context.close();
      const visitor = await openApp(browser, language, size.viewport);
      await visitor.page.goto(inviteLink);
      // Signed out, the invite asks to sign in (or up) first and keeps the link for afterwards.
      await expect(visitor.page.getByTestId('signin-submit')).toBeVisible();
      await look(visitor.page, 'join signed out');

      await visitor.context.close();

      // The widget on a shop page in this language, closed and open.
      const shopper = await openApp(browser, language, size.viewport);
      await shopper.page.goto(`${shop.origin}/?site=${siteKey}&lang=${language}`);
      const launcher = shopper.page.locator('happy-chat-widget').locator('button.launcher');
      await expect(launcher).toBeVisible();
      await look(shopper.page, 'widget closed');
      await launcher.click();
      const frame = shopper.page.frameLocator('happy-chat-widget iframe');
      await expect(frame.getByTestId('widget-greeting')).toHaveText('Welcome to the shop!');
      await expect(frame.locator('html')).toHaveAttribute('lang', language);
      await look(shopper.page, 'widget open');
      await shopper.context.close();

      expect(findings).toEqual([]);
    });
  }
}
