/**
 * "Only admins can pin" (issue 15): the group's owner turns it on in the
 * group's info; a member then has no Pin action on a message and no unpin
 * on the pinned bar (the relay refuses it anyway: sync-server/relay/trust/pins.test.ts),
 * while the owner still pins. 1280x800 and 360x740, each in English and Chinese.
 */
import { expect, test } from '@playwright/test';
import { messageWith } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext } from './people.js';

const CASES = [
  { name: 'desktop-en', size: { width: 1280, height: 800 }, device: { locale: 'en-US' }, setting: 'Only admins can pin messages' },
  {
    name: 'phone-zh-CN',
    size: { width: 360, height: 740 },
    device: { hasTouch: true, isMobile: true, locale: 'zh-CN' },
    setting: '仅管理员可以置顶消息',
  },
  { name: 'desktop-zh-CN', size: { width: 1280, height: 800 }, device: { locale: 'zh-CN' }, setting: '仅管理员可以置顶消息' },
  {
    name: 'phone-en',
    size: { width: 360, height: 740 },
    device: { hasTouch: true, isMobile: true, locale: 'en-US' },
    setting: 'Only admins can pin messages',
  },
] as const;

for (const view of CASES) {
  test(`a group that keeps pins to its admins hides Pin from members, at ${view.name}`, async ({ browser }) => {
    test.setTimeout(180_000);
    const touch = view.name.startsWith('phone');
    const ann = await personInNewContext(browser, 'Ann', view.size, view.device);
    const bob = await personInNewContext(browser, 'Bob', view.size, view.device);
    await befriend(ann, bob);
    await ann.page.getByTestId('group-create').click();
    await ann.page.getByTestId('group-title-input').fill('Board');
    await ann.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
    await ann.page.getByTestId('group-create-submit').click();
    await expect(ann.page.getByTestId('conversation-title')).toHaveText('Board');
    const box = ann.page.getByTestId('composer-input');
    await box.fill('House rules');
    if (touch) await ann.page.getByTestId('composer-send').tap();
    else await box.press('Enter');
    await expect(messageWith(ann.page, 'House rules')).toHaveAttribute('data-state', 'delivered');

    // The owner turns the setting on in the group's info.
    // On a phone the header keeps Info under "More".
    if (touch) await ann.page.getByTestId('header-more').click();
    await ann.page.getByTestId('group-info').click();
    const setting = ann.page.getByTestId('group-pins-by-admins');
    await setting.scrollIntoViewIfNeeded();
    await expect(ann.page.getByText(view.setting)).toBeVisible();
    await setting.check();
    await expect(setting).toBeEnabled();
    await expect(setting).toBeChecked();
    await ann.page.screenshot({ path: `/tmp/shots/pin-rights-setting-${view.name}.png` });
    await ann.page.getByTestId('sheet-close').click();

    // Bob, a member: no Pin among the message's actions once the setting reached his copy.
    await bob.page.getByTestId('conversation-item').filter({ hasText: 'Board' }).click();
    const atBob = messageWith(bob.page, 'House rules');
    await expect(atBob).toBeVisible();
    if (touch) await atBob.getByTestId('message-text').tap();
    else await atBob.hover();
    await expect(atBob.getByTestId('message-copy')).toBeVisible();
    await expect(atBob.getByTestId('message-pin')).toHaveCount(0);
    await bob.page.screenshot({ path: `/tmp/shots/pin-rights-member-${view.name}.png` });

    // Ann, the owner, pins; Bob sees the bar without its unpin button.
    const atAnn = messageWith(ann.page, 'House rules');
    if (touch) await atAnn.getByTestId('message-text').tap();
    else await atAnn.hover();
    await atAnn.getByTestId('message-pin').click();
    await expect(bob.page.getByTestId('pinned-text')).toHaveText('Ann: House rules');
    await expect(bob.page.getByTestId('pinned-unpin')).toHaveCount(0);
    await expect(ann.page.getByTestId('pinned-unpin')).toBeVisible();

    await ann.context.close();
    await bob.context.close();
  });
}
