/**
 * The conversation list from heads (issue 12): each conversation's newest
 * message, its time and an unread badge, newest activity first, all from
 * the person's own `user/<id>` document; no conversation document is opened
 * to show them, and the list is the same after an offline reload (from
 * IndexedDB).
 */
import { expect, test, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';
import { waitForServiceWorker } from './service-worker.js';
import { watchSyncTraffic } from './sync-traffic.js';

/** The list's entry for the conversation titled `title`. */
function entry(page: Page, title: string) {
  return page
    .locator('button[data-conversation-id]')
    .filter({ has: page.getByTestId('conversation-item').getByText(title, { exact: true }) });
}

/** Titles in list order, only the ones named. */
async function orderOf(page: Page, titles: readonly string[]): Promise<string[]> {
  const shown = await page.getByTestId('conversation-item').allTextContents();
  return shown.map((text) => text.trim()).filter((text) => titles.includes(text));
}

test("the list shows each conversation's newest message, time and unread count, newest first, without opening them; the same offline", async ({
  browser,
}) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  const carol = await personInNewContext(browser, 'Carol');
  const traffic = watchSyncTraffic(bob.page);
  // Without background sync (on by default, e2e/many-conversations.spec.ts), so nothing but the list could show what follows.
  await bob.page.evaluate(() => localStorage.setItem('happychat.background-sync', 'off'));
  // Bob's tab starts again, so its socket and every document subscribed on it are seen.
  await bob.page.reload();
  await expect(bob.page.getByTestId('current-user')).toHaveText(bob.person.name);
  await befriend(alice, bob);
  await befriend(carol, bob);

  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'hello Bob, it is Alice');
  await startDirectChat(carol.page, bob.person);
  await send(carol.page, 'Carol here');
  await expect(entry(bob.page, 'Carol').getByTestId('conversation-preview')).toHaveText('Carol here');
  await expect.poll(() => orderOf(bob.page, ['Alice', 'Carol'])).toEqual(['Carol', 'Alice']);
  // Alice writes again: her conversation moves to the top.
  await send(alice.page, 'a second from Alice');
  await expect(entry(bob.page, 'Alice').getByTestId('conversation-preview')).toHaveText('a second from Alice');
  await expect.poll(() => orderOf(bob.page, ['Alice', 'Carol'])).toEqual(['Alice', 'Carol']);
  await expect(entry(bob.page, 'Alice').getByTestId('unread-badge')).toHaveText('2');
  await expect(entry(bob.page, 'Carol').getByTestId('unread-badge')).toHaveText('1');
  await expect(entry(bob.page, 'Alice').getByTestId('conversation-time')).toHaveText(/\d\d:\d\d/);
  // All of it without opening a conversation's document.
  expect(traffic.documents.length, 'Bob synced his own document').toBeGreaterThan(0);
  expect(
    traffic.documents.filter((name) => name.startsWith('conv/')),
    'conversation documents Bob opened',
  ).toEqual([]);

  // Alice's own list: her message, marked as hers, nothing unread.
  await expect(entry(alice.page, 'Bob').getByTestId('conversation-preview')).toHaveText('You: a second from Alice');
  await expect(entry(alice.page, 'Bob').getByTestId('unread-badge')).toHaveCount(0);

  // Bob reads Alice's conversation: her badge goes.
  await entry(bob.page, 'Alice').click();
  await expect(bob.page.getByTestId('message-text').last()).toHaveText('a second from Alice');
  await expect(entry(bob.page, 'Alice').getByTestId('unread-badge')).toHaveCount(0);

  // Offline reload: the same list, from IndexedDB.
  await waitForServiceWorker(bob.page);
  await bob.context.setOffline(true);
  await bob.page.reload();
  await expect(bob.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await expect(entry(bob.page, 'Alice').getByTestId('conversation-preview')).toHaveText('a second from Alice');
  await expect(entry(bob.page, 'Carol').getByTestId('conversation-preview')).toHaveText('Carol here');
  await expect(entry(bob.page, 'Carol').getByTestId('unread-badge')).toHaveText('1');
  await expect(entry(bob.page, 'Alice').getByTestId('unread-badge')).toHaveCount(0);
  await expect.poll(() => orderOf(bob.page, ['Alice', 'Carol'])).toEqual(['Alice', 'Carol']);

  for (const person of [alice, bob, carol]) await person.context.close();
});
