/**
 * Localization (issue 16) in Chromium with a Chinese browser (`locale:
 * 'zh-CN'`): the whole sign-up → chat flow shows no English (a check over
 * every readable text, shadow roots included), axe finds nothing on its
 * screens, the language switches live from the settings without a reload,
 * and Enter while an input method is composing does not send.
 * Screenshots of each screen at desktop and phone size go to the system's temp folder
 * (happy-chat-localization/), outside test-results/, which the next Playwright run empties.
 */
import { expect, test, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { axeFindings, type AxeFinding } from './axe.js';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { englishOnScreen } from './english-on-screen.js';
import { E2E_BASE_URL } from './environment.js';
import { newPerson, openActivationLink, personInNewContext, type Person } from './people.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const SHOTS = path.join(os.tmpdir(), 'happy-chat-localization');

/** Signs up through the Chinese UI and activates; leaves the page on the chats. */
async function signUpInChinese(page: Page, person: Person, check: (screen: string) => Promise<void>): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('signin-submit')).toHaveText('登录');
  await check('sign-in');
  await page.getByTestId('goto-signup').click();
  await expect(page.getByTestId('signup-submit')).toBeVisible();
  await check('sign-up');
  await page.getByTestId('signup-name').fill(person.name);
  await page.getByTestId('signup-email').fill(person.email);
  await page.getByTestId('signup-password').fill(person.password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('check-mail')).toBeVisible();
  await check('check your mail');
  await openActivationLink(page, person);
  await check('activated');
  await page.getByTestId('activation-continue').click();
  await expect(page.getByTestId('current-user')).toHaveText(person.name);
}

test('the sign-up → chat flow in zh-CN shows no English and passes axe', async ({ browser }) => {
  const english: string[] = [];
  const findings: AxeFinding[] = [];
  const alice = { person: { ...newPerson('Alice'), name: '小红' } };
  const bob = { person: { ...newPerson('Bob'), name: '小明' } };
  const typed = [alice.person.name, alice.person.email, bob.person.name, bob.person.email, '你好，小红！', '你好'];
  const contextOf = () => browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
  const aliceContext = await contextOf();
  const bobContext = await contextOf();
  const alicePage = await aliceContext.newPage();
  const bobPage = await bobContext.newPage();
  const check = (page: Page) => async (screen: string) => {
    english.push(...(await englishOnScreen(page, typed)).map((line) => `${screen}: ${line}`));
    findings.push(...(await axeFindings(page, screen)));
  };

  await signUpInChinese(alicePage, alice.person, check(alicePage));
  await alicePage.screenshot({ path: `${SHOTS}/list-desktop.png` });
  await signUpInChinese(bobPage, bob.person, async () => {});
  await befriend({ page: alicePage, person: alice.person }, { page: bobPage, person: bob.person });
  await startDirectChat(bobPage, alice.person);
  await send(bobPage, '你好，小红！');
  await expect(bobPage.getByTestId('message')).toHaveAttribute('data-state', 'delivered');

  const fromBob = alicePage.getByTestId('conversation-item').filter({ hasText: bob.person.name });
  await expect(fromBob).toBeVisible();
  await check(alicePage)('conversation list');
  await fromBob.click();
  await send(alicePage, '你好');
  await expect(alicePage.getByTestId('message')).toHaveCount(2);
  await expect(alicePage.getByTestId('message').last()).toHaveAttribute('data-state', 'delivered');
  await check(alicePage)('open chat');
  await alicePage.screenshot({ path: `${SHOTS}/chat-desktop.png` });

  // The emoji picker: its categories and emoji named in Chinese, and found by Chinese words.
  await alicePage.getByTestId('emoji-button').click();
  await expect(alicePage.getByRole('button', { name: '食物与饮料' })).toBeVisible();
  await alicePage.getByTestId('emoji-search').fill('披萨');
  await expect(alicePage.getByTestId('emoji-option')).toHaveAccessibleName('披萨');
  await alicePage.getByTestId('emoji-search').fill('');
  await check(alicePage)('emoji picker');
  await alicePage.screenshot({ path: `${SHOTS}/emoji-picker-desktop.png` });
  await alicePage.keyboard.press('Escape');

  await alicePage.setViewportSize(PHONE);
  await alicePage.screenshot({ path: `${SHOTS}/chat-phone.png` });
  await check(alicePage)('open chat, phone');
  await alicePage.getByTestId('back').click();
  await expect(fromBob).toBeVisible();
  await alicePage.screenshot({ path: `${SHOTS}/list-phone.png` });
  await alicePage.getByTestId('profile-edit').click();
  await expect(alicePage.getByTestId('side-sheet')).toBeVisible();
  await check(alicePage)('my profile, phone');

  const signedOut = await browser.newContext({ locale: 'zh-CN', viewport: PHONE });
  const visitor = await signedOut.newPage();
  await visitor.goto('/');
  await expect(visitor.getByTestId('signin-submit')).toHaveText('登录');
  await visitor.screenshot({ path: `${SHOTS}/sign-in-phone.png` });
  await check(visitor)('sign-in, phone');
  await visitor.setViewportSize(DESKTOP);
  await visitor.screenshot({ path: `${SHOTS}/sign-in-desktop.png` });

  expect.soft(english).toEqual([]);
  expect(findings).toEqual([]);
  await Promise.all([aliceContext.close(), bobContext.close(), signedOut.close()]);
});

// A fresh Chinese load showed English until the Chinese texts had loaded. Their
// module is held back here so that a first paint in English could not hide in one frame.
test('a Chinese page paints Chinese from its first frame, never English first', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
  const page = await context.newPage();
  await page.route(/zh-CN[^/]*\.(js|ts)(\?.*)?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  // Every text the app paints, frame by frame, until the sign-in form is there (at most 10 s of frames).
  await page.addInitScript(() => {
    const textOf = (root: Node): string => {
      let text = '';
      for (let node = root.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === Node.TEXT_NODE && node.parentElement?.tagName !== 'STYLE') text += node.textContent ?? '';
        if (node instanceof Element) text += (node.shadowRoot ? textOf(node.shadowRoot) : '') + textOf(node);
      }
      return text;
    };
    const painted: string[] = [];
    Object.assign(window, { paintedTexts: painted });
    const started = performance.now();
    const look = () => {
      const app = document.querySelector('chat-app');
      const text = app?.shadowRoot ? textOf(app.shadowRoot).replace(/\s+/g, ' ').trim() : '';
      if (text && painted.at(-1) !== text) painted.push(text);
      if (!text.includes('登录') && performance.now() - started < 10_000) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto('/');
  await expect(page.getByTestId('signin-submit')).toHaveText('登录');
  const painted = await page.evaluate(() => (window as unknown as { paintedTexts: string[] }).paintedTexts);
  expect(painted.at(-1)).toContain('登录');
  // The only Latin text of these screens: the product's name, and English named in English in the language list.
  const latin = (text: string) => /[A-Za-z]{2,}/.test(text.replaceAll('Happy Chat', '').replace(/English(?=简体中文)/, ''));
  expect(painted.filter(latin)).toEqual([]);
  await context.close();
});

test('the language switches live from the settings, and is remembered', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('signin-submit')).toHaveText('Sign in');
  // A mark on the window: a reload would wipe it.
  await page.evaluate(() => Object.assign(window, { notReloaded: true }));

  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.getByTestId('signin-submit')).toHaveText('登录');
  await expect(page.getByTestId('goto-signup')).toHaveText('创建账号');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);

  await page.reload();
  await expect(page.getByTestId('signin-submit')).toHaveText('登录');

  await page.getByTestId('language-select').selectOption('');
  await expect(page.getByTestId('signin-submit')).toHaveText('Sign in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('Enter while an input method is composing does not send', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
  const page = await context.newPage();
  const bobContext = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
  const bobPage = await bobContext.newPage();
  const alice = { ...newPerson('Alice'), name: '小红' };
  const bob = { ...newPerson('Bob'), name: '小明' };
  await signUpInChinese(page, alice, async () => {});
  await signUpInChinese(bobPage, bob, async () => {});
  await befriend({ page, person: alice }, { page: bobPage, person: bob });
  await startDirectChat(page, bob);

  const input = page.getByTestId('composer-input');
  await input.fill('nihao');
  // What an IME does while the person picks 你好: composition events, and Enter with isComposing (keyCode 229 in Chromium).
  await input.dispatchEvent('compositionstart', { data: '' });
  await input.dispatchEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true });
  await expect(input).toHaveValue('nihao');
  await expect(page.getByTestId('message')).toHaveCount(0);

  await input.dispatchEvent('compositionend', { data: '你好' });
  await input.fill('你好');
  await input.press('Enter');
  await expect(page.getByTestId('message')).toHaveCount(1);
  await expect(input).toHaveValue('');
  await Promise.all([context.close(), bobContext.close()]);
});

test("the widget speaks its host page's language, not the visitor's browser's", async ({ browser }) => {
  // A shop whose page says lang="zh-CN", visited from an English browser.
  const host = http.createServer((req, res) => {
    const site = (new URL(req.url ?? '/', 'http://host').searchParams.get('site') ?? '').replace(/[^a-z0-9]/g, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="zh-CN"><head><title>商店</title></head><body><h1>商店</h1>
      <script type="module" src="${E2E_BASE_URL}/widget.js" data-site="${site}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const owner = await personInNewContext(browser, 'Owner');
  const created = await owner.page.request.post('/api/sites', {
    data: { name: 'Shop', origins: [origin], greeting: '欢迎光临！' },
    headers: { origin: E2E_BASE_URL },
  });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };

  const visitorContext = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
  const page = await visitorContext.newPage();
  await page.goto(`${origin}/?site=${key}`);
  const launcher = page.locator('happy-chat-widget').locator('button.launcher');
  await expect(launcher).toHaveAttribute('aria-label', '打开聊天');
  await launcher.click();
  const frame = page.frameLocator('happy-chat-widget iframe');
  await expect(frame.getByTestId('widget-composer-input')).toHaveAttribute('placeholder', '输入消息…');
  await expect(frame.getByTestId('widget-send')).toHaveText('发送');
  await expect(launcher).toHaveAttribute('aria-label', '关闭聊天');
  await Promise.all([visitorContext.close(), owner.context.close()]);
  await new Promise((resolve) => host.close(resolve));
});
