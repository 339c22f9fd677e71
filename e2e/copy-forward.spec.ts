/**
 * Copy and forward (issue 15), at desktop and phone size: Copy puts a
 * message's text on the clipboard and says "Copied"; Forward opens a
 * searchable picker, and the chosen conversations get a new message by
 * the forwarder marked "Forwarded", a picture included, which the
 * target's member can load (the server shared the members-only picture
 * with that conversation).
 */
import { expect, test, type Locator } from '@playwright/test';
import { messageWith } from './chat-page.js';
import { solidPng } from '../sync-server/testing/images.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext, TOUCH_VIEWPORTS } from './people.js';

/** Shows a message's actions the way the device does (hover, or a tap), then picks one. */
async function act(message: Locator, action: string, touch: boolean): Promise<void> {
  // On the text: a tap on a picture opens it full size.
  if (touch) await message.getByTestId('message-text').tap();
  else await message.hover();
  await message.getByTestId(action).click();
}

for (const viewport of TOUCH_VIEWPORTS) {
  test(`copy a message and forward it (text and a picture) to another conversation, at ${viewport.name} size`, async ({ browser }) => {
    // Two or three people sign up first, which takes a while on a busy machine.
    test.setTimeout(180_000);
    const touch = viewport.name === 'phone';
    const ann = await personInNewContext(browser, 'Ann', viewport.size, viewport.device);
    await ann.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const bob = await personInNewContext(browser, 'Bob');
    const cy = await personInNewContext(browser, 'Cy');
    await befriend(ann, bob);
    await befriend(ann, cy);
    await startDirectChat(cy.page, ann.person);
    await startDirectChat(ann.page, bob.person);

    // A phone's Enter adds a line: Send sends.
    await ann.page.getByTestId('composer-input').fill('The meeting moved to 3 pm');
    await ann.page.getByTestId('composer-send').click();
    const original = messageWith(ann.page, 'The meeting moved to 3 pm');
    await expect(original).toHaveAttribute('data-state', 'delivered');

    // Copy: the text is on the clipboard, and the page says so.
    await act(original, 'message-copy', touch);
    await expect(ann.page.getByTestId('chat-toast')).toHaveText('Copied');
    expect(await ann.page.evaluate(() => navigator.clipboard.readText())).toBe('The meeting moved to 3 pm');

    // Forward: the picker searches the conversations; one is chosen.
    await act(original, 'message-forward', touch);
    const dialog = ann.page.getByTestId('forward-dialog');
    await expect(dialog).toBeVisible();
    expect(await dialog.getByTestId('forward-target').count()).toBeGreaterThan(1);
    await dialog.getByTestId('forward-search').fill('c');
    await expect(dialog.getByTestId('forward-target')).toHaveCount(1);
    await expect(dialog.getByTestId('forward-send')).toBeDisabled();
    await dialog.getByText('Cy', { exact: true }).click();
    await ann.page.screenshot({ path: `/tmp/issue15-shots/forward-dialog-${viewport.name}.png` });
    await dialog.getByTestId('forward-send').click();
    await expect(dialog).toBeHidden();
    await expect(ann.page.getByTestId('chat-toast')).toHaveText('Forwarded');

    // Cy gets it as Ann's message, marked forwarded.
    const atCy = messageWith(cy.page, 'The meeting moved to 3 pm');
    await expect(atCy.getByTestId('message-forwarded')).toHaveText('Forwarded');
    // On Cy's left: written by Ann, not by Cy.
    await expect(atCy).not.toHaveClass(/\bmine\b/);
    await expect(messageWith(bob.page, 'The meeting moved to 3 pm')).toHaveCount(0);

    // A picture Bob sent Ann: forwarded to Cy, who may now load it (it was Bob and Ann's only).
    await bob.page.getByTestId('conversation-item').filter({ hasText: 'Ann' }).click();
    await bob.page
      .getByTestId('picture-input')
      .setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: solidPng(40, 30, [200, 40, 40]) });
    await bob.page.getByTestId('composer-input').fill('My lamp');
    await bob.page.getByTestId('composer-send').click();
    const picture = messageWith(ann.page, 'My lamp');
    await expect(picture.getByTestId('message-image')).toBeVisible();
    if (touch) {
      // On a touch screen the last message tapped keeps its actions shown (they would cover the new one): leave and come back.
      await ann.page.getByTestId('back').tap();
      await ann.page.getByTestId('conversation-item').filter({ hasText: 'Bob' }).tap();
      await expect(picture.getByTestId('message-image')).toBeVisible();
    }
    await act(picture, 'message-forward', touch);
    await dialog.getByText('Cy', { exact: true }).click();
    await dialog.getByTestId('forward-send').click();
    const pictureAtCy = messageWith(cy.page, 'My lamp');
    await expect(pictureAtCy.getByTestId('message-forwarded')).toBeVisible();
    const image = pictureAtCy.getByTestId('message-image');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
    await cy.page.screenshot({ path: `/tmp/issue15-shots/forwarded-at-cy-after-${viewport.name}.png` });
    await ann.page.screenshot({ path: `/tmp/issue15-shots/forward-done-${viewport.name}.png` });

    for (const someone of [ann, bob, cy]) await someone.context.close();
  });
}
