/**
 * Reading what came while I was away (issue 15): a conversation with unread
 * messages opens at the first of them, under a "New messages" divider, not
 * at the bottom; they stay unread until seen. A jump-to-latest button shows
 * while the newest message is out of view, counting the new messages below
 * (also those arriving meanwhile); it takes me to the newest and marks all
 * read. With nothing unread, a conversation opens at its newest message.
 * Desktop and phone.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, VIEWPORTS } from './people.js';
import { writeMessagesAs } from './tampering.js';

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** Whether `inner` lies, at least in part, in the visible part of the message list. */
async function inView(page: Page, inner: Locator): Promise<boolean> {
  const list = await box(page.locator('chat-message-list'));
  const item = await box(inner);
  return item.y + item.height > list.y && item.y < list.y + list.height;
}

/** The unread count on a conversation's row in the list. */
function unreadBadge(page: Page, title: string): Locator {
  return page
    .locator('[data-conversation-id]')
    .filter({ has: page.getByTestId('conversation-item').getByText(title, { exact: true }) })
    .getByTestId('unread-badge');
}

function message(page: Page, text: string): Locator {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

for (const viewport of VIEWPORTS) {
  test(`a conversation opens at the first unread message, and a button jumps to the latest, at ${viewport.name} size`, async ({
    browser,
  }) => {
    const alice = await personInNewContext(browser, 'Alice', viewport.size);
    const bob = await personInNewContext(browser, 'Bob');
    const carol = await personInNewContext(browser, 'Carol');
    await befriend(alice, bob);
    await befriend(alice, carol);
    await startDirectChat(alice.page, bob.person);
    await send(alice.page, 'Hi Bob, tell me everything');
    await expect(alice.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
    // Alice leaves the chat; her device keeps its copy, which misses what Bob writes next.
    await alice.page.goto('/');
    await expect(alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' })).toBeVisible();

    await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
    await expect(message(bob.page, 'Hi Bob, tell me everything')).toBeVisible();
    const story = Array.from({ length: 40 }, (_, i) => `Part ${i + 1} of the story`);
    await writeMessagesAs(bob.page, 'Bob', story);
    await expect(unreadBadge(alice.page, 'Bob')).toHaveText('40');

    // Opening: the first unread under the divider, in view; the newest is far below.
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    const divider = alice.page.getByTestId('unread-divider');
    await expect(divider).toHaveText('New messages');
    await expect(message(alice.page, 'Part 1 of the story')).toBeVisible();
    expect(await inView(alice.page, message(alice.page, 'Part 1 of the story'))).toBe(true);
    expect(await inView(alice.page, divider)).toBe(true);
    expect((await box(divider)).y).toBeLessThan((await box(message(alice.page, 'Part 1 of the story'))).y);
    expect(await inView(alice.page, message(alice.page, 'Part 40 of the story'))).toBe(false);
    const jump = alice.page.getByTestId('jump-to-latest');
    await expect(jump.getByTestId('jump-count')).toHaveText('40');
    await alice.page.screenshot({ path: `/tmp/ux15/2-first-unread-${viewport.name}.png` });

    // More arrive while she reads: counted, not scrolled to, not read.
    await writeMessagesAs(bob.page, 'Bob', ['And one more thing', 'Really the last']);
    await expect(jump.getByTestId('jump-count')).toHaveText('42');
    await expect(jump).toHaveAccessibleName('Jump to the latest message, 42 new');
    expect(await inView(alice.page, message(alice.page, 'Part 1 of the story'))).toBe(true);
    await expect(bob.page.getByTestId('read-receipt')).toHaveCount(0);
    await alice.page.screenshot({ path: `/tmp/ux15/3-jump-count-${viewport.name}.png` });

    // The button: to the newest, everything read, the button gone, the divider still where it was.
    await jump.click();
    await expect(jump).toHaveCount(0);
    await expect.poll(() => inView(alice.page, message(alice.page, 'Really the last'))).toBe(true);
    await expect(message(bob.page, 'Really the last').getByTestId('read-receipt')).toHaveText('Read');
    await expect(divider).toHaveCount(1);
    await expect(unreadBadge(alice.page, 'Bob')).toHaveCount(0);

    // Scrolled up with nothing unread: the button shows, without a count.
    await alice.page.locator('chat-message-list').evaluate((list) => {
      list.scrollTop = 0;
    });
    await expect(jump).toBeVisible();
    await expect(jump.getByTestId('jump-count')).toHaveCount(0);

    // From there (scrolled up) to another conversation this device has open, with much unread now: it opens at its
    // first unread message, which stays unread (the list's position is reported afresh, not kept from the last one).
    if (viewport.name === 'phone') await alice.page.getByTestId('back').click();
    await startDirectChat(alice.page, carol.person);
    if (viewport.name === 'phone') await alice.page.getByTestId('back').click();
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    await expect(message(alice.page, 'Really the last')).toBeVisible();
    await alice.page.locator('chat-message-list').evaluate((list) => {
      list.scrollTop = 0;
    });
    await expect(jump).toBeVisible();
    await carol.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
    await expect(carol.page.getByTestId('conversation-title')).toHaveText('Alice');
    await writeMessagesAs(
      carol.page,
      'Carol',
      Array.from({ length: 30 }, (_, i) => `Carol's news ${i + 1}`),
    );
    await expect(unreadBadge(alice.page, 'Carol')).toHaveText('30');
    if (viewport.name === 'phone') await alice.page.getByTestId('back').click();
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Carol' }).click();
    await expect(message(alice.page, "Carol's news 1")).toBeVisible();
    await expect(jump.getByTestId('jump-count')).toHaveText('30');
    await writeMessagesAs(carol.page, 'Carol', ['Still there?']);
    await expect(jump.getByTestId('jump-count')).toHaveText('31');
    await expect(carol.page.getByTestId('read-receipt')).toHaveCount(0);

    // Nothing unread: the conversation opens at its newest message, no divider.
    await alice.page.goto('/');
    await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
    await expect(message(alice.page, 'Really the last')).toBeVisible();
    await expect.poll(() => inView(alice.page, message(alice.page, 'Really the last'))).toBe(true);
    await expect(alice.page.getByTestId('unread-divider')).toHaveCount(0);
    await expect(jump).toHaveCount(0);

    await alice.context.close();
    await bob.context.close();
    await carol.context.close();
  });
}
