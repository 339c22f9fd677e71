/**
 * Mute from the conversation list (issue 15): the row menu mutes and unmutes
 * at once and at the server (the same store the header's button uses, which decides
 * pushes), the row shows a muted mark and a grey count, the page title
 * leaves the muted conversation out, and the header's button agrees. At
 * 1280×800 and 360×740; offline, a mute applies at once and reaches the
 * server when the network is back. Screenshots in /tmp/shots.
 */
import { type Browser, expect, test, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

const SHOTS = process.env.SHOTS ?? '/tmp/shots';

function row(page: Page, title: string) {
  return page.locator('li').filter({ has: page.getByTestId('conversation-item').getByText(title, { exact: true }) });
}

function action(page: Page, name: string) {
  return page.locator(`[data-testid="conversation-action"][data-action="${name}"]`);
}

async function chooseFromMenu(page: Page, title: string, name: string): Promise<void> {
  await row(page, title).hover();
  await row(page, title).getByTestId('conversation-menu').click();
  await action(page, name).click();
}

/** The "(n)" of the page title; 0 without one. */
async function titleCount(page: Page): Promise<number> {
  return Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);
}

/** Unread messages the list shows in rows other than `title`'s (the robot's welcome). */
async function othersUnread(page: Page, title: string): Promise<number> {
  const rows = page.locator('li').filter({ hasNot: page.getByTestId('conversation-item').getByText(title, { exact: true }) });
  const counts = await rows.getByTestId('unread-badge').allTextContents();
  return counts.reduce((sum, text) => sum + Number(text), 0);
}

/** What the server's push preference store says is muted for the page's person. */
async function mutedAtServer(page: Page): Promise<string[]> {
  const response = await page.request.get('/api/push/settings');
  return ((await response.json()) as { muted: string[] }).muted;
}

/**
 * Alice (at `viewport`) and her friend Bob, who has sent her one message: her
 * row for him shows 1 unread and the page title counts it with the others.
 */
async function unreadFromBob(browser: Browser, viewport: { width: number; height: number }) {
  const alice = await personInNewContext(browser, 'Alice', viewport);
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(bob.page, alice.person);
  await send(bob.page, 'hello from Bob');
  const page = alice.page;
  const bobRow = row(page, 'Bob');
  await expect(bobRow.getByTestId('unread-badge')).toHaveText('1');
  const others = await othersUnread(page, 'Bob');
  await expect.poll(() => titleCount(page)).toBe(others + 1);
  const conversationId = (await bobRow.locator('button.row').getAttribute('data-conversation-id')) ?? '';
  return { alice, bob, bobRow, others, conversationId };
}

for (const [width, height] of [
  [1280, 800],
  [360, 740],
] as const) {
  test(`mute and unmute from the row menu (${width}×${height})`, async ({ browser }) => {
    const { alice, bob, bobRow, others, conversationId } = await unreadFromBob(browser, { width, height });
    const page = alice.page;

    await chooseFromMenu(page, 'Bob', 'mute');
    await expect(bobRow.getByTestId('muted-mark')).toBeVisible();
    await expect(bobRow.locator('button.row')).toHaveAccessibleName(/, muted/);
    // The count stays, greyed; the title leaves it out.
    await expect(bobRow.getByTestId('unread-badge')).toHaveText('1');
    await expect(bobRow.getByTestId('unread-badge')).toHaveClass(/quiet/);
    await expect.poll(() => titleCount(page)).toBe(others);
    await expect.poll(() => mutedAtServer(page)).toEqual([conversationId]);
    await page.screenshot({ path: `${SHOTS}/list-muted-${width}.png` });

    await chooseFromMenu(page, 'Bob', 'unmute');
    await expect(bobRow.getByTestId('muted-mark')).toHaveCount(0);
    await expect(bobRow.getByTestId('unread-badge')).not.toHaveClass(/quiet/);
    await expect.poll(() => titleCount(page)).toBe(others + 1);
    await expect.poll(() => mutedAtServer(page)).toEqual([]);

    // Muted from the list, the header's button says so; unmuted there, the list follows.
    await chooseFromMenu(page, 'Bob', 'mute');
    await expect(bobRow.getByTestId('muted-mark')).toBeVisible();
    await bobRow.locator('button.row').click();
    await expect(page.getByTestId('conversation-title')).toHaveText('Bob');
    // On a phone the header's secondary actions sit behind "More" (chat-view.ts).
    if (width < 600) await page.getByTestId('header-more').click();
    const toggle = page.getByTestId('mute-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await page.screenshot({ path: `${SHOTS}/header-muted-${width}.png` });
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    if (width < 600) await page.getByTestId('back').click();
    await expect(bobRow.getByTestId('muted-mark')).toHaveCount(0);
    await expect.poll(() => mutedAtServer(page)).toEqual([]);

    for (const context of [alice.context, bob.context]) await context.close();
  });
}

test('mutes offline at once and tells the server when back online (1280×800)', async ({ browser }) => {
  const { alice, bob, bobRow, others, conversationId } = await unreadFromBob(browser, { width: 1280, height: 800 });
  const page = alice.page;

  // Offline, the mute applies at once: the mark, the grey count, the title (it used to do nothing: the request failed).
  await alice.context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await chooseFromMenu(page, 'Bob', 'mute');
  await expect(bobRow.getByTestId('muted-mark')).toBeVisible();
  await expect(bobRow.getByTestId('unread-badge')).toHaveClass(/quiet/);
  await expect.poll(() => titleCount(page)).toBe(others);
  await page.screenshot({ path: `${SHOTS}/list-muted-offline-1280.png` });

  // Back online, the device sends it: the server's store, which decides pushes, has it.
  await alice.context.setOffline(false);
  await expect.poll(() => mutedAtServer(page), { timeout: 20_000 }).toEqual([conversationId]);
  await expect(bobRow.getByTestId('muted-mark')).toBeVisible();

  for (const context of [alice.context, bob.context]) await context.close();
});
