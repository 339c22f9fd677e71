/**
 * Offline-first in a real browser: the app shell from the service worker,
 * history from IndexedDB, messages composed offline kept across reloads and
 * delivered in the same order on both screens once back online.
 */
import { expect, test, type Page } from '@playwright/test';
import { messageTexts, send } from './chat-page.js';
import { aliceAndBobInDirectChat } from './direct-chat.js';
import { waitForServiceWorker } from './service-worker.js';

test('reads and writes offline, survives reloads, delivers in order when back', async ({ browser }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'before the tunnel');
  await waitForServiceWorker(alice.page);

  await alice.context.setOffline(true);
  await alice.page.reload();
  // The shell came from the service worker and the history from IndexedDB.
  await expect(alice.page.getByTestId('current-user')).toHaveText('Alice');
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
  await expect(messageTexts(alice.page)).toHaveText(['before the tunnel']);

  await send(alice.page, 'offline one');
  await send(alice.page, 'offline two');
  const pending = alice.page.locator('[data-testid="message"][data-state="pending"]');
  await expect(pending).toHaveCount(2);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '2');

  // Closing and reopening the page keeps them, still pending.
  await alice.page.reload();
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
  await expect(messageTexts(alice.page)).toHaveText(['before the tunnel', 'offline one', 'offline two']);
  await expect(pending).toHaveCount(2);

  await alice.context.setOffline(false);
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(3);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');

  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['before the tunnel', 'offline one', 'offline two']);

  await alice.context.close();
  await bob.context.close();
});

test('two people offline at once end with the same order on both screens', async ({ browser }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser);
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText('Alice');

  await alice.context.setOffline(true);
  await bob.context.setOffline(true);
  await send(alice.page, 'A1');
  await send(bob.page, 'B1');
  await send(alice.page, 'A2');
  await send(bob.page, 'B2');

  // Bob comes back first, then Alice.
  await bob.context.setOffline(false);
  await expect(bob.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);
  await alice.context.setOffline(false);

  const delivered = (page: Page) => page.locator('[data-testid="message"][data-state="delivered"]');
  await expect(delivered(alice.page)).toHaveCount(4);
  await expect(delivered(bob.page)).toHaveCount(4);
  await expect(messageTexts(alice.page)).toHaveText(['B1', 'B2', 'A1', 'A2']);
  await expect(messageTexts(bob.page)).toHaveText(['B1', 'B2', 'A1', 'A2']);

  await alice.context.close();
  await bob.context.close();
});
