/**
 * Issue 20, the client side of 4413: past the person's write quota the relay
 * stores nothing and closes with 4413. The message stays pending (never
 * failed), the sync status says "Waiting" with `describeCloseCode`'s text,
 * and the connection comes back after its own backoff and delivers it once
 * the quota has refilled. On a server of this spec's own with a small quota
 * (1 KB/s after a 4 KB burst), so the wait is seconds, not an hour.
 */
import { expect, test } from '@playwright/test';
import { CloseCode, describeCloseCode } from '../shared/protocol.js';
import { directConversation } from '../sync-server/testing/direct-conversation.js';
import { createUser } from '../sync-server/testing/test-users.js';
import { signedInContext, startOwnServer, type OwnServer } from './own-server.js';
import { messageTexts, send } from './chat-page.js';

let own: OwnServer;

test.beforeAll(async () => {
  own = await startOwnServer({ writeQuota: { burstBytes: 4_000, bytesPerHour: 3_600_000, maxDocumentBytes: 64 * 1024 * 1024 } });
});

test.afterAll(async () => {
  await own?.stop();
});

test('past the write quota: the message waits as pending, the status says why, and it is sent later', async ({ browser }, testInfo) => {
  const { server } = own;
  const [alice, bob] = [await createUser(server, 'Alice'), await createUser(server, 'Bob')];
  await directConversation(server, alice, bob);
  const context = await signedInContext(browser, server, alice);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();

  // A full quota takes one update larger than the burst; it leaves the bucket in debt for a few seconds.
  const long = 'a long one '.repeat(600);
  await send(page, long);
  const message = page.getByTestId('message');
  await expect(message.filter({ hasText: 'a long one' })).toHaveAttribute('data-state', 'delivered');
  await send(page, 'one too many');

  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-status', 'waiting');
  await expect(page.getByTestId('sync-notice')).toContainText(describeCloseCode(CloseCode.quotaExceeded));
  await expect(message.filter({ hasText: 'one too many' })).toHaveAttribute('data-state', 'pending');
  await expect(status).toHaveAttribute('data-pending', '1');
  await expect(status).toHaveAttribute('data-failed', '0');
  await expect(page.getByTestId('message-failure')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('waiting.png') });

  // The first retry comes 5 to 6.25 s later; by then the bucket has refilled.
  await expect(message.filter({ hasText: 'one too many' })).toHaveAttribute('data-state', 'delivered', { timeout: 20_000 });
  await expect(status).toHaveAttribute('data-status', 'online');
  await expect(page.getByTestId('sync-notice')).toHaveCount(0);
  await expect(messageTexts(page)).toHaveText([long.trim(), 'one too many'].map((text) => new RegExp(text.slice(0, 20))));
  await context.close();
});
