/**
 * On a phone (360×740, touch) a message's actions close once one is done
 * (issue 15): Reply, a quick reaction, Copy. Before, the row stayed open
 * over the conversation until the person tapped the message again.
 */
import { expect, test } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

test('a message action done with a finger closes the action row, on a phone', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob', { width: 360, height: 740 }, { hasTouch: true, isMobile: true });
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'Tap me');
  const page = bob.page;
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).tap();
  const message = page.getByTestId('message').filter({ hasText: 'Tap me' });
  const actions = message.locator('message-actions');

  await message.getByTestId('message-text').tap();
  await expect(actions.getByTestId('message-reply')).toBeVisible();
  await actions.getByTestId('message-reply').tap();
  await expect(page.getByTestId('reply-cancel')).toBeVisible();
  await expect(actions).toHaveCount(0);

  await message.getByTestId('message-text').tap();
  await actions.getByTestId('reaction-add').tap();
  await actions.getByTestId('emoji-option').first().tap();
  await expect(message.locator('.reaction')).toContainText('1');
  await expect(actions).toHaveCount(0);
  await page.screenshot({ path: '/tmp/shots/actions-closed-360.png' });

  await alice.context.close();
  await bob.context.close();
});
