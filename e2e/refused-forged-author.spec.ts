/**
 * A refusal by the relay's update validator (4400, `refused: forged-author`): Alice's
 * replica gets a message under Bob's name next to her own unsent ones. Her
 * messages show failed with the reason; the forged one, which exists only in
 * her refused copy, is not shown; "Retry" resyncs and sends hers once, and
 * nobody ever sees the forged one.
 */
import { expect, test } from '@playwright/test';
import { messageTexts, send } from './chat-page.js';
import { aliceAndBobInDirectChat } from './direct-chat.js';
import { writeMessageAs } from './tampering.js';

test('a forged author is refused; my messages fail with the reason and are retried once', async ({ browser }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'before');

  await alice.context.setOffline(true);
  await send(alice.page, 'worth sending');
  await send(alice.page, 'better not');
  await expect(alice.page.locator('[data-testid="message"][data-state="pending"]')).toHaveCount(2);
  await writeMessageAs(alice.page, 'Bob', 'forged by a tampered client');
  await alice.context.setOffline(false);

  const failed = alice.page.locator('[data-testid="message"][data-state="failed"]');
  await expect(failed).toHaveCount(2);
  await expect(failed.first().getByTestId('message-failure')).toHaveText('Not sent: refused: forged-author');
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveAttribute('data-phase', 'refused');
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'better not']);

  await alice.page.reload();
  await expect(failed).toHaveCount(2);

  await failed.filter({ hasText: 'worth sending' }).getByTestId('message-retry').click();
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);
  await failed.filter({ hasText: 'better not' }).getByTestId('message-discard').click();
  await expect(failed).toHaveCount(0);
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending']);

  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['before', 'worth sending']);
  await send(bob.page, 'got it');
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'got it']);

  await alice.context.close();
  await bob.context.close();
});
