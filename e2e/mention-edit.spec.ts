/**
 * A mention added by an edit (issue 15): Ann edits "see the plan" into
 * "see the plan @Bob"; Bob, who has not opened the group, gets the @ badge
 * on it in his list, as a mention written at once would give him (the
 * server's part: sync-server/participants/edited-mentions.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { messageWith } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext, TOUCH_VIEWPORTS } from './people.js';

const groupRow = (page: Page) => page.locator('button[data-conversation-id]').filter({ hasText: 'Plans' });

for (const viewport of TOUCH_VIEWPORTS) {
  test(`an edit that adds @Bob gives Bob the @ badge in his list, at ${viewport.name} size`, async ({ browser }) => {
    test.setTimeout(180_000);
    const ann = await personInNewContext(browser, 'Ann');
    const bob = await personInNewContext(browser, 'Bob', viewport.size, viewport.device);
    await befriend(ann, bob);
    await ann.page.getByTestId('group-create').click();
    await ann.page.getByTestId('group-title-input').fill('Plans');
    await ann.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
    await ann.page.getByTestId('group-create-submit').click();
    await expect(ann.page.getByTestId('conversation-title')).toHaveText('Plans');
    await ann.page.getByTestId('composer-input').fill('see the plan');
    await ann.page.getByTestId('composer-input').press('Enter');
    const sent = messageWith(ann.page, 'see the plan');
    await expect(sent).toHaveAttribute('data-state', 'delivered');
    await expect(groupRow(bob.page).getByTestId('unread-badge')).toBeVisible();
    await expect(groupRow(bob.page).getByTestId('mention-badge')).toHaveCount(0);

    await sent.hover();
    await sent.getByTestId('message-edit').click();
    await ann.page.getByTestId('edit-input').fill('see the plan @Bob');
    await ann.page.getByTestId('edit-input').press('Enter');
    await expect(messageWith(ann.page, 'see the plan @Bob').getByTestId('message-edited')).toBeVisible();

    await expect(groupRow(bob.page).getByTestId('mention-badge')).toBeVisible();
    await bob.page.screenshot({ path: `/tmp/shots/mention-by-edit-${viewport.name}.png` });
    await ann.context.close();
    await bob.context.close();
  });
}
