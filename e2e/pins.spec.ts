/**
 * Pinned messages (issue 15), at desktop and phone size: a member pins a
 * message; both see the pinned bar over the list with it, a click on the
 * bar scrolls to the message far up and highlights it, and the other
 * member unpins it from the bar.
 */
import { expect, test } from '@playwright/test';
import { messageWith } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, TOUCH_VIEWPORTS } from './people.js';
import { writeMessagesAs } from './tampering.js';

for (const viewport of TOUCH_VIEWPORTS) {
  test(`pin a message, jump to it from the pinned bar, unpin it, at ${viewport.name} size`, async ({ browser }) => {
    // Two or three people sign up first, which takes a while on a busy machine.
    test.setTimeout(180_000);
    const touch = viewport.name === 'phone';
    const ann = await personInNewContext(browser, 'Ann', viewport.size, viewport.device);
    const bob = await personInNewContext(browser, 'Bob');
    await befriend(ann, bob);
    await startDirectChat(bob.page, ann.person);
    const many = Array.from({ length: 40 }, (_, i) => `Note ${i + 1}`);
    await writeMessagesAs(bob.page, 'Bob', ['Meet at the north gate', ...many]);
    await expect(messageWith(bob.page, 'Note 40')).toHaveAttribute('data-state', 'delivered');

    // Bob pins the first message.
    const first = messageWith(bob.page, 'Meet at the north gate');
    await first.scrollIntoViewIfNeeded();
    await first.hover();
    await first.getByTestId('message-pin').click();
    await expect(bob.page.getByTestId('pinned-text')).toHaveText('Bob: Meet at the north gate');
    await expect(first.getByTestId('message-pinned')).toBeVisible();

    // Ann sees the bar; read to the newest, the pinned message is far up, out of view.
    await ann.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    await expect(ann.page.getByTestId('pinned-text')).toHaveText('Bob: Meet at the north gate');
    await ann.page.getByTestId('jump-to-latest').click();
    await expect(messageWith(ann.page, 'Note 40')).toBeInViewport();
    await expect(messageWith(ann.page, 'Meet at the north gate')).not.toBeInViewport();
    await ann.page.screenshot({ path: `/tmp/issue15-shots/pinned-bar-${viewport.name}.png` });
    await ann.page.getByTestId('pinned-bar').click();
    const pinnedAtAnn = messageWith(ann.page, 'Meet at the north gate');
    await expect(pinnedAtAnn).toBeInViewport();

    // Any member unpins: Ann, from the bar; Bob's bar goes too.
    if (touch) await ann.page.getByTestId('pinned-unpin').tap();
    else await ann.page.getByTestId('pinned-unpin').click();
    await expect(ann.page.getByTestId('pinned-bar')).toHaveCount(0);
    await expect(bob.page.getByTestId('pinned-bar')).toHaveCount(0);
    await expect(first.getByTestId('message-pinned')).toHaveCount(0);

    await ann.context.close();
    await bob.context.close();
  });
}
