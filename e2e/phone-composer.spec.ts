/**
 * The composer on a touch screen: Enter adds a line, as on a phone's
 * keyboard, and the Send button sends. With a hardware keyboard Enter sends
 * (foundation.spec.ts), and only there is the Enter key labelled "send".
 */
import { expect, test } from '@playwright/test';
import { messageTexts } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

test('on a touch screen Enter adds a line and the Send button sends', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob', { width: 390, height: 800 }, { hasTouch: true, isMobile: true });
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);

  await expect(alice.page.getByTestId('composer-input')).toHaveAttribute('enterkeyhint', 'send');
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).tap();
  const input = bob.page.getByTestId('composer-input');
  await expect(input).not.toHaveAttribute('enterkeyhint', /.*/);

  await input.pressSequentially('first line');
  await input.press('Enter');
  await input.pressSequentially('second line');
  await expect(input).toHaveValue('first line\nsecond line');
  await expect(bob.page.getByTestId('message')).toHaveCount(0);

  await bob.page.getByTestId('composer-send').tap();
  await expect(input).toHaveValue('');
  await expect(messageTexts(bob.page)).toHaveText(['first line\nsecond line']);
  await expect(messageTexts(alice.page)).toHaveText(['first line\nsecond line']);

  await alice.context.close();
  await bob.context.close();
});
