/**
 * Dark mode (issue 15): the app follows the system's `prefers-color-scheme`,
 * a switch in the profile sheet (same as the system / light / dark) overrides
 * it and is remembered on the device, and the main screens in dark pass
 * axe's WCAG AA rules (contrast included) with zero violations. Desktop and
 * phone.
 */
import { expect, test, type Page } from '@playwright/test';
import { axeFindings, type AxeFinding } from './axe.js';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, VIEWPORTS } from './people.js';

/** The page's background color as computed (the theme's `--hc-bg`). */
function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

const DARK_BG = 'rgb(15, 19, 24)';
const LIGHT_BG = 'rgb(243, 245, 249)';

/** My profile sheet; on a phone an open chat takes the whole screen, so from the list. */
async function openMyProfile(page: Page): Promise<void> {
  const back = page.getByTestId('back');
  if (await back.isVisible()) await back.click();
  await page.getByTestId('profile-edit').click();
}

async function closeSheet(page: Page): Promise<void> {
  await page.getByTestId('sheet-close').click();
  await expect(page.getByTestId('side-sheet')).toHaveCount(0);
}

for (const viewport of VIEWPORTS) {
  test(`dark mode follows the system, has a remembered switch, and passes axe at ${viewport.name} size`, async ({ browser }) => {
    const findings: AxeFinding[] = [];
    const check = async (page: Page, screen: string) => findings.push(...(await axeFindings(page, `${viewport.name} dark ${screen}`)));

    const signedOut = await browser.newContext({ viewport: viewport.size, colorScheme: 'dark' });
    const visitor = await signedOut.newPage();
    await visitor.goto('/');
    await expect(visitor.getByTestId('signin-submit')).toBeVisible();
    expect(await pageBackground(visitor)).toBe(DARK_BG);
    await check(visitor, 'sign-in');
    await signedOut.close();

    const alice = await personInNewContext(browser, 'Alice', viewport.size);
    const bob = await personInNewContext(browser, 'Bob');
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    expect(await pageBackground(alice.page)).toBe(DARK_BG);
    await befriend(alice, bob);
    await startDirectChat(bob.page, alice.person);
    await send(bob.page, 'Hello Alice, in the dark?');
    await expect(bob.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');

    await expect(alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' })).toBeVisible();
    await check(alice.page, 'conversation list');
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    await expect(alice.page.getByTestId('unread-divider')).toBeVisible();
    await send(alice.page, 'Yes, easier on the eyes');
    await expect(alice.page.getByTestId('message').last()).toHaveAttribute('data-state', 'delivered');
    await check(alice.page, 'open chat');
    await alice.page.screenshot({ path: `/tmp/ux15/4-dark-chat-${viewport.name}.png` });

    await openMyProfile(alice.page);
    await expect(alice.page.getByTestId('theme-setting')).toBeVisible();
    await expect(alice.page.getByTestId('theme-system')).toBeChecked();
    await check(alice.page, 'my profile');
    await alice.page.screenshot({ path: `/tmp/ux15/4-dark-profile-${viewport.name}.png` });

    // Light, though the system is dark: at once, and after a reload.
    await alice.page.getByTestId('theme-light').check();
    expect(await pageBackground(alice.page)).toBe(LIGHT_BG);
    await alice.page.reload();
    await expect(alice.page.getByTestId('current-user')).toBeVisible();
    expect(await pageBackground(alice.page)).toBe(LIGHT_BG);

    // Dark, though the system is light; then the system's choice again.
    await alice.page.emulateMedia({ colorScheme: 'light' });
    await openMyProfile(alice.page);
    await expect(alice.page.getByTestId('theme-light')).toBeChecked();
    await alice.page.getByTestId('theme-dark').check();
    expect(await pageBackground(alice.page)).toBe(DARK_BG);
    await alice.page.getByTestId('theme-system').check();
    expect(await pageBackground(alice.page)).toBe(LIGHT_BG);
    await closeSheet(alice.page);

    await alice.context.close();
    await bob.context.close();
    expect(findings).toEqual([]);
  });
}
