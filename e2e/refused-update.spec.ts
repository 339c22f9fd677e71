/**
 * A change the relay will never take (issue 3 and 7): the client shows my
 * unsent messages failed with the reason instead of retrying forever, keeps
 * them across a reload, and "Retry" drops the refused local copy, resyncs
 * and sends the message once; "Discard" gives one up.
 *
 * Provoked honestly: a buggy client writes a message far over the text limit
 * into Alice's replica, so her next sync is one frame over the relay's size
 * limit and the relay closes the connection (1009). The same flow for a
 * forged author (4400 from the update validator) is
 * `refused-forged-author.spec.ts`.
 */
import { expect, test } from '@playwright/test';
import { aliceAndBobInDirectChat, messageTexts, send } from './people.js';
import { writeMessageAs } from './tampering.js';

test('a refused change: failed with the reason, kept across a reload, retried once, or discarded', async ({ browser }, testInfo) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'before');

  // Offline, Alice writes a message, and the buggy client a huge one: both go in one sync.
  await alice.context.setOffline(true);
  await send(alice.page, 'worth sending');
  await expect(alice.page.locator('[data-testid="message"][data-state="pending"]')).toHaveCount(1);
  await writeMessageAs(alice.page, 'Alice', 'x'.repeat(1_100_000));
  await alice.context.setOffline(false);

  const failed = alice.page.locator('[data-testid="message"][data-state="failed"]');
  const worth = failed.filter({ hasText: 'worth sending' });
  const huge = failed.filter({ hasText: 'xxxxxxxxxx' });
  await expect(failed).toHaveCount(2);
  await expect(worth.getByTestId('message-failure')).toHaveText('Not sent: too big for the server');
  // The huge one breaks the shared rules: it can only be discarded.
  await expect(huge.getByTestId('message-failure')).toContainText('Cannot be sent: more than 10000 characters');
  await expect(huge.getByTestId('message-retry')).toHaveCount(0);
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveAttribute('data-phase', 'refused');
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-failed', '2');

  // A reload keeps them failed.
  await alice.page.reload();
  await expect(failed).toHaveCount(2);
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveAttribute('data-phase', 'refused');
  await alice.page.screenshot({ path: testInfo.outputPath('alice-refused.png') });

  await worth.getByTestId('message-retry').click();
  const delivered = alice.page.locator('[data-testid="message"][data-state="delivered"]');
  await expect(delivered).toHaveCount(2);
  await expect(failed).toHaveCount(1);
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveCount(0);
  await huge.getByTestId('message-discard').click();
  await expect(failed).toHaveCount(0);
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending']);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-failed', '0');
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');

  // Bob gets the retried message once, and never the huge one.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['before', 'worth sending']);

  // The conversation syncs both ways again, and a reload shows the same.
  await send(bob.page, 'got it');
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'got it']);
  await alice.page.reload();
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'got it']);
  await expect(delivered).toHaveCount(3);

  await alice.context.close();
  await bob.context.close();
});
