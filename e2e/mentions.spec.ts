/**
 * @mentions in a group (issue 15), at desktop and phone size: typing @ in
 * the composer offers the group's members (a Chinese name by its part
 * typed after a Chinese word), arrows move, Escape closes, Enter inserts
 * the name; the person mentioned gets an @ badge on the group in their
 * list until they open it, and someone not mentioned gets none.
 */
import { expect, test, type Page } from '@playwright/test';
import { befriend } from './direct-chat.js';
import { personInNewContext, TOUCH_VIEWPORTS } from './people.js';

const groupRow = (page: Page) => page.locator('button[data-conversation-id]').filter({ hasText: 'Team' });

for (const viewport of TOUCH_VIEWPORTS) {
  test(`mention someone in a group with the autocomplete; they see @ in their list until they read it, at ${viewport.name} size`, async ({
    browser,
  }) => {
    // Two or three people sign up first, which takes a while on a busy machine.
    test.setTimeout(180_000);
    const ann = await personInNewContext(browser, 'Ann', viewport.size, viewport.device);
    const bob = await personInNewContext(browser, 'Bob');
    const ming = await personInNewContext(browser, '张小明');
    await befriend(ann, bob);
    await befriend(ann, ming);
    await ann.page.getByTestId('group-create').click();
    await ann.page.getByTestId('group-title-input').fill('Team');
    await ann.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
    await ann.page.getByTestId('group-member-option').filter({ hasText: '张小明' }).click();
    await ann.page.getByTestId('group-create-submit').click();
    await expect(ann.page.getByTestId('conversation-title')).toHaveText('Team');
    await expect(groupRow(ming.page)).toBeVisible();
    await expect(groupRow(bob.page)).toBeVisible();

    const box = ann.page.getByTestId('composer-input');
    const list = ann.page.getByTestId('mention-list');
    await box.click();
    // Everyone else, for a bare @; Escape closes the list and keeps the text.
    await box.pressSequentially('@');
    await expect(list.getByTestId('mention-option')).toHaveText(['@Bob', '@张小明']);
    await expect(box).toHaveAttribute('aria-controls', 'mention-list');
    await box.press('Escape');
    await expect(list).toBeHidden();
    await expect(box).toHaveValue('@');
    await box.fill('');

    // Chinese: no space before the @; the part typed finds 张小明; arrows move, Enter inserts.
    await box.pressSequentially('你好@小');
    await expect(list.getByTestId('mention-option')).toHaveText(['@张小明']);
    await box.fill('');
    await box.pressSequentially('你好@');
    await expect(list.getByTestId('mention-option')).toHaveCount(2);
    await box.press('ArrowDown');
    const chosen = list.locator('[aria-selected="true"]');
    await expect(chosen).toHaveText('@张小明');
    await expect(box).toHaveAttribute('aria-activedescendant', (await chosen.getAttribute('id')) ?? 'none');
    await ann.page.screenshot({ path: `/tmp/issue15-shots/mention-autocomplete-${viewport.name}.png` });
    await box.press('Enter');
    await expect(list).toBeHidden();
    await expect(box).toHaveValue('你好@张小明 ');
    await box.pressSequentially('看这里');
    // A phone's Enter adds a line; its Send button sends.
    if (viewport.name === 'phone') await ann.page.getByTestId('composer-send').tap();
    else await box.press('Enter');
    await expect(ann.page.getByTestId('message-text').filter({ hasText: '你好@张小明 看这里' })).toBeVisible();

    // 张小明 is told: @ on the group in his list. Bob has the unread count only.
    await expect(groupRow(ming.page).getByTestId('mention-badge')).toBeVisible();
    await expect(groupRow(bob.page).getByTestId('unread-badge')).toBeVisible();
    await expect(groupRow(bob.page).getByTestId('mention-badge')).toHaveCount(0);
    await ming.page.screenshot({ path: `/tmp/issue15-shots/mention-badge-after-${viewport.name}.png` });
    // Read: the badge goes.
    await groupRow(ming.page).click();
    await expect(ming.page.getByTestId('message-text').filter({ hasText: '你好@张小明 看这里' })).toBeVisible();
    await expect(groupRow(ming.page).getByTestId('mention-badge')).toHaveCount(0);

    for (const someone of [ann, bob, ming]) await someone.context.close();
  });
}
