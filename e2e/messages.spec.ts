/**
 * The message experience in two browsers: pictures (with upload progress,
 * offline across a reload, full size on click), emoji, replies, edits,
 * deletes, reactions, read receipts, the typing indicator, unread counts,
 * and the robot answering in its own conversation.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { messageTexts, send, messageWith } from './chat-page.js';
import { aliceAndBobInDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';
import { waitForServiceWorker } from './service-worker.js';

/** A PNG drawn by the browser itself: a large "photo" the client must scale down. */
async function drawPng(page: Page, width: number, height: number): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      const gradient = context.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, '#2f6fde');
      gradient.addColorStop(1, '#ffd166');
      context.fillStyle = gradient;
      context.fillRect(0, 0, w, h);
      context.fillStyle = '#fff';
      context.font = `${Math.round(h / 5)}px sans-serif`;
      context.fillText('Happy', w / 10, h / 2);
      return canvas.toDataURL('image/png');
    },
    [width, height] as const,
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** The message whose text is `text`. */

/** Shows a message's actions (they appear on hover) and clicks one. */
async function act(message: Locator, action: string): Promise<void> {
  await message.hover();
  await message.getByTestId(action).click();
}

test('pictures, emoji, replies, edits, deletes, reactions, read receipts and typing between two people', async ({ browser }, testInfo) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser);
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText('Alice');

  // Read receipts: Bob has the conversation open at the bottom, so Alice's message is read at once.
  await send(alice.page, 'Hello Bob');
  await expect(messageWith(bob.page, 'Hello Bob')).toBeVisible();
  await expect(messageWith(alice.page, 'Hello Bob').getByTestId('read-receipt')).toHaveText('Read');

  // Typing indicator, cleared when the message is sent.
  await bob.page.getByTestId('composer-input').pressSequentially('Hi Al');
  await expect(alice.page.getByTestId('typing-indicator')).toHaveText('Bob is typing…');
  await bob.page.getByTestId('composer-input').pressSequentially('ice');
  await bob.page.getByTestId('composer-input').press('Enter');
  await expect(alice.page.getByTestId('typing-indicator')).toHaveCount(0);
  await expect(messageWith(alice.page, 'Hi Alice')).toBeVisible();

  // Emoji from the picker, found by name; a lone emoji is shown large.
  await alice.page.getByTestId('emoji-button').click();
  await expect(alice.page.getByTestId('emoji-picker')).toBeVisible();
  await alice.page.getByTestId('emoji-search').fill('party');
  await alice.page.getByTestId('emoji-picker').getByTestId('emoji-option').filter({ hasText: '🎉' }).first().click();
  await expect(alice.page.getByTestId('composer-input')).toHaveValue('🎉');
  await alice.page.getByTestId('composer-input').press('Enter');
  await expect(messageWith(bob.page, '🎉').getByTestId('message-text')).toHaveAttribute('data-emoji-only', '');

  // A picture: scaled in the browser, uploaded, seen by Bob, opened full size.
  await alice.page
    .getByTestId('picture-input')
    .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await drawPng(alice.page, 3000, 2000) });
  await expect(alice.page.getByTestId('staged-picture')).toBeVisible();
  await alice.page.getByTestId('composer-input').fill('A sunset');
  await alice.page.getByTestId('composer-send').click();
  const bobsPicture = bob.page.getByTestId('message-image');
  await expect(bobsPicture).toBeVisible();
  await expect.poll(() => bobsPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2048);
  await expect(bobsPicture).toHaveAttribute('width', '280');
  await expect(bobsPicture).toHaveAttribute('height', '187');
  await expect(messageWith(bob.page, 'A sunset')).toBeVisible();
  await bobsPicture.click();
  await expect(bob.page.getByTestId('lightbox')).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('lightbox')).toBeHidden();

  // Reply: quoted, and the quote leads back to the original.
  await act(messageWith(bob.page, 'Hello Bob'), 'message-reply');
  await expect(bob.page.getByTestId('composer-reply')).toContainText('Hello Bob');
  await send(bob.page, 'Replying to you');
  const reply = messageWith(alice.page, 'Replying to you');
  await expect(reply.getByTestId('reply-quote')).toContainText('Hello Bob');
  await reply.getByTestId('reply-quote').click();
  await expect(messageWith(alice.page, 'Hello Bob')).toHaveClass(/flash/);

  // Edit my own message: Bob sees the new text, marked edited.
  await act(messageWith(alice.page, 'Hello Bob'), 'message-edit');
  await alice.page.getByTestId('edit-input').fill('Hello Bob, edited');
  await alice.page.getByTestId('edit-input').press('Enter');
  await expect(messageWith(bob.page, 'Hello Bob, edited').getByTestId('message-edited')).toBeVisible();
  // The quote follows the edit.
  await expect(messageWith(bob.page, 'Replying to you').getByTestId('reply-quote')).toContainText('Hello Bob, edited');
  // Others' messages offer no edit or delete.
  await messageWith(alice.page, 'Hi Alice').hover();
  await expect(messageWith(alice.page, 'Hi Alice').getByTestId('message-edit')).toHaveCount(0);

  // React: both sides see the count; toggling takes mine back.
  await act(messageWith(bob.page, 'Hello Bob, edited'), 'reaction-add');
  await messageWith(bob.page, 'Hello Bob, edited').getByTestId('emoji-option').filter({ hasText: '👍' }).click();
  const alicesThumbs = messageWith(alice.page, 'Hello Bob, edited').locator('[data-testid="reaction"][data-emoji="👍"]');
  await expect(alicesThumbs).toContainText('1');
  await expect(alicesThumbs).toHaveAttribute('title', 'Bob');
  await alicesThumbs.click();
  await expect(alicesThumbs).toContainText('2');
  const bobsThumbs = messageWith(bob.page, 'Hello Bob, edited').locator('[data-testid="reaction"][data-emoji="👍"]');
  await expect(bobsThumbs).toContainText('2');
  await bobsThumbs.click();
  await expect(alicesThumbs).toContainText('1');
  await expect(alicesThumbs).toHaveAttribute('title', 'You');

  // Delete my own message: its text leaves both screens.
  await act(messageWith(alice.page, '🎉'), 'message-delete');
  await alice.page.getByTestId('message-delete-confirm').click();
  await expect(bob.page.getByTestId('message-deleted')).toHaveText('Message deleted');
  await expect(messageTexts(bob.page).filter({ hasText: '🎉' })).toHaveCount(0);

  // Unread: Bob looks at another conversation; Alice's next message counts, in the list and the title.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Happy Robot' }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText('Happy Robot');
  await expect(bob.page).toHaveTitle('Happy Chat');
  await send(alice.page, 'Are you there?');
  const aliceItem = bob.page.locator('[data-conversation-id]').filter({ hasText: 'Alice' });
  await expect(aliceItem.getByTestId('unread-badge')).toHaveText('1');
  await expect(bob.page).toHaveTitle('(1) Happy Chat');
  await aliceItem.click();
  await expect(aliceItem.getByTestId('unread-badge')).toHaveCount(0);
  await expect(bob.page).toHaveTitle('Happy Chat');
  await expect(messageWith(alice.page, 'Are you there?').getByTestId('read-receipt')).toHaveText('Read');

  await messageWith(alice.page, 'Hello Bob, edited').hover();
  await alice.page.screenshot({ path: testInfo.outputPath('alice-messages.png') });
  await bob.page.screenshot({ path: testInfo.outputPath('bob-messages.png') });

  await alice.context.close();
  await bob.context.close();
});

test('a picture sent offline shows pending with its progress bar, survives a reload, and arrives once', async ({ browser }) => {
  const { alice, bob } = await aliceAndBobInDirectChat(browser, 'before the tunnel');
  await waitForServiceWorker(alice.page);

  await alice.context.setOffline(true);
  await alice.page
    .getByTestId('picture-input')
    .setInputFiles({ name: 'small.png', mimeType: 'image/png', buffer: await drawPng(alice.page, 640, 480) });
  await expect(alice.page.getByTestId('staged-picture')).toBeVisible();
  await alice.page.getByTestId('composer-send').click();
  const pending = alice.page.locator('[data-testid="message"][data-state="pending"]');
  await expect(pending.getByTestId('message-image')).toBeVisible();
  await expect(pending.getByTestId('upload-progress')).toBeVisible();

  await alice.page.reload();
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
  await expect(pending.getByTestId('message-image')).toBeVisible();
  await expect(pending.getByTestId('message-image')).toHaveAttribute('width', '280');

  await alice.context.setOffline(false);
  await expect(alice.page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(2);
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(bob.page.getByTestId('message-image')).toHaveCount(1);
  await expect.poll(() => bob.page.getByTestId('message-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);

  // Another reload online sends nothing again.
  await alice.page.reload();
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).click();
  await expect(alice.page.getByTestId('message')).toHaveCount(2);
  await expect(bob.page.getByTestId('message')).toHaveCount(2);

  await alice.context.close();
  await bob.context.close();
});

test('the robot: its own conversation with its face, and an answer to a question', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  await alice.page.getByTestId('conversation-item').filter({ hasText: 'Happy Robot' }).click();
  await expect(alice.page.getByTestId('conversation-title')).toHaveText('Happy Robot');
  await expect(alice.page.locator('header [data-testid="robot-avatar"], chat-view [data-testid="robot-avatar"]').first()).toBeVisible();
  const fromRobot = alice.page.locator('[data-testid="message"][data-author="happy-robot"]');
  await expect(fromRobot.first()).toBeVisible();
  const before = await fromRobot.count();

  await send(alice.page, 'what is 6 * 7?');
  await expect(fromRobot).toHaveCount(before + 1);
  const answer = fromRobot.last();
  await expect(answer.getByTestId('reply-quote')).toContainText('what is 6 * 7?');
  await expect(answer.getByTestId('message-text')).toContainText('42');

  await alice.context.close();
});

test('long history: the newest page first, older pages on scrolling up, without a jump', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, bob } = await aliceAndBobInDirectChat(browser);
  for (let i = 1; i <= 105; i++) await send(alice.page, `line ${i}`);
  await expect(messageWith(alice.page, 'line 105')).toHaveAttribute('data-state', 'delivered');

  // Unread, it opens at the first of them (unread-on-open.spec.ts); read, at its newest page.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageWith(bob.page, 'line 1')).toBeInViewport();
  await bob.page.getByTestId('jump-to-latest').click();
  await expect(messageWith(bob.page, 'line 105')).toBeInViewport();
  await expect(bob.page.getByTestId('jump-to-latest')).toHaveCount(0);
  await bob.page.goto('/');
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageWith(bob.page, 'line 105')).toBeInViewport();
  await expect(bob.page.getByTestId('message')).toHaveCount(50);
  await expect(messageTexts(bob.page).first()).toHaveText('line 56');

  // Scrolling to the top loads the page before; what was on screen stays where it was.
  const list = bob.page.locator('chat-message-list');
  const anchor = messageWith(bob.page, 'line 56');
  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(bob.page.getByTestId('message')).toHaveCount(100);
  const top = await anchor.boundingBox();
  const listBox = await list.boundingBox();
  expect(top && listBox && top.y - listBox.y).toBeLessThan(150);
  expect(top && listBox && top.y - listBox.y).toBeGreaterThan(-50);
  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(bob.page.getByTestId('message')).toHaveCount(105);
  await expect(bob.page.getByTestId('load-older')).toHaveCount(0);

  await alice.context.close();
  await bob.context.close();
});
