/**
 * Presence (issue 15): a friend's "online" or "last seen" under their name in
 * a one-to-one chat and in the friends list, "typing…" in the conversation
 * list in place of the preview, and the privacy setting in the profile sheet
 * ("Nobody" hides mine at the server, and then I see nobody's either). At
 * 1280×800 and 360×740, in English and Chinese; screenshots in /tmp/shots.
 */
import { expect, test, type Page } from '@playwright/test';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

const SHOTS = process.env.SHOTS ?? '/tmp/shots';

const WORDS = {
  en: { online: 'online', typing: 'typing…', justNow: 'last seen just now' },
  'zh-CN': { online: '在线', typing: '正在输入…', justNow: '刚刚在线' },
} as const;

/** On a phone an open chat takes the whole screen: back to the list first. */
async function showList(page: Page): Promise<void> {
  const back = page.getByTestId('back');
  if (await back.isVisible()) await back.click();
}

function row(page: Page, title: string) {
  return page.locator('li').filter({ has: page.getByTestId('conversation-item').getByText(title, { exact: true }) });
}

for (const [width, height] of [
  [1280, 800],
  [360, 740],
] as const) {
  for (const locale of ['en', 'zh-CN'] as const) {
    test(`online, last seen, typing in the list and hiding it (${width}×${height}, ${locale})`, async ({ browser }) => {
      const words = WORDS[locale];
      const alice = await personInNewContext(browser, 'Alice', { width, height }, { locale });
      const bob = await personInNewContext(browser, 'Bob');
      await befriend(alice, bob);
      const page = alice.page;

      // Bob's app is open: Alice sees him online under his name.
      await startDirectChat(page, bob.person);
      const presence = page.getByTestId('conversation-presence');
      await expect(presence).toHaveText(words.online);
      await expect(presence).toHaveAttribute('data-online', '');
      await page.screenshot({ path: `${SHOTS}/presence-online-${width}-${locale}.png` });

      // Bob types in their chat: Alice's list says so in place of the preview, and stops when he stops.
      await startDirectChat(bob.page, alice.person);
      await showList(page);
      const bobsRow = row(page, 'Bob');
      await expect(bobsRow.getByTestId('conversation-typing')).toHaveCount(0);
      await bob.page.getByTestId('composer-input').pressSequentially('hel');
      await expect(bobsRow.getByTestId('conversation-typing')).toHaveText(words.typing);
      await page.screenshot({ path: `${SHOTS}/presence-list-typing-${width}-${locale}.png` });
      await bob.page.getByTestId('composer-input').fill('');
      await bob.page.getByTestId('composer-input').press('Enter');
      await bob.page.getByTestId('composer-input').pressSequentially('x');
      await bob.page.getByTestId('composer-input').fill('');

      // Bob closes the app: once the server saw him go, Alice reads when he was last seen.
      await bob.context.close();
      await expect
        .poll(async () => {
          const answer = (await (await page.request.get('/api/presence')).json()) as { people: Record<string, { online: boolean }> };
          return Object.values(answer.people).map((p) => p.online);
        })
        .toEqual([false]);
      await page.reload();
      await row(page, 'Bob').locator('button.row').click();
      await expect(presence).toHaveText(words.justNow);
      await expect(presence).not.toHaveAttribute('data-online', '');
      await page.screenshot({ path: `${SHOTS}/presence-last-seen-${width}-${locale}.png` });

      await showList(page);
      await page.getByTestId('friends-tab').click();
      await expect(page.getByTestId('friend-presence')).toHaveText(words.justNow);
      await page.screenshot({ path: `${SHOTS}/presence-friends-${width}-${locale}.png` });
      await page.getByTestId('chats-tab').click();

      // Alice hides hers: the server keeps it from everyone, and from then on tells her nobody's.
      await page.getByTestId('profile-edit').click();
      const setting = page.getByTestId('last-seen-setting');
      await expect(page.getByTestId('last-seen-friends')).toBeChecked();
      await setting.scrollIntoViewIfNeeded();
      await page.getByTestId('last-seen-nobody').check();
      await expect(page.getByTestId('last-seen-nobody')).toBeChecked();
      // Saved: the choice can be changed again (the radios are disabled while it is being saved).
      await expect(page.getByTestId('last-seen-friends')).toBeEnabled();
      await page.screenshot({ path: `${SHOTS}/presence-setting-${width}-${locale}.png` });
      const answer = await page.request.get('/api/presence');
      expect(await answer.json()).toEqual({ lastSeen: 'nobody', people: {} });
      await page.keyboard.press('Escape');
      await page.getByTestId('friends-tab').click();
      await expect(page.getByTestId('friend-item')).toHaveCount(1);
      await expect(page.getByTestId('friend-presence')).toHaveCount(0);
    });
  }
}
