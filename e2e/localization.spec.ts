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
import os from 'node:os';
import path from 'node:path';
import { axeFindings, type AxeFinding } from './axe.js';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { englishOnScreen } from './english-on-screen.js';
import { newPerson, openActivationLink, type Person } from './people.js';

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
