/**
 * After a removal (issue 15): the removed member's earlier messages keep
 * their name for everyone (not "Someone"), and the link they came by does
 * not let them back in; the owner's invite list counts each use as it
 * happens. The owner on a desktop, the member on a phone.
 */
import { expect, test, type Page } from '@playwright/test';
import { messageTexts } from './chat-page.js';
import { personInNewContext } from './people.js';

const SHOTS = '/tmp/issue15-shots';

test('a removed member keeps their name on old messages and cannot rejoin by the old link', async ({ browser }) => {
  const ann = await personInNewContext(browser, 'Ann');
  const cat = await personInNewContext(browser, 'Cat', { width: 360, height: 740 });

  const origin = new URL(ann.page.url()).origin;
  const created = await ann.page.request.post('/api/conversations', {
    data: { kind: 'group', title: 'Choir', memberIds: [] },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  await ann.page.getByTestId('conversation-item').filter({ hasText: 'Choir' }).click();
  await expect(ann.page.getByTestId('conversation-title')).toHaveText('Choir');
  await ann.page.getByTestId('group-info').click();
  await ann.page.getByTestId('invite-create').click();
  const link = new URL(await ann.page.getByTestId('invite-link').inputValue());
  await expect(ann.page.getByTestId('invite-item')).toContainText('used 0 times');

  await cat.page.goto(link.pathname);
  await cat.page.getByTestId('join-group').click();
  await expect(cat.page.getByTestId('conversation-title')).toHaveText('Choir');
  await cat.page.getByTestId('composer-input').fill('Cat was here');
  await cat.page.getByTestId('composer-input').press('Enter');
  // The owner's open list counts the use without being reopened.
  await expect(ann.page.getByTestId('invite-item')).toContainText('used 1 time');
  await expect(messageTexts(ann.page)).toContainText(['Cat was here']);

  const catRow = ann.page.getByTestId('member-item').filter({ hasText: 'Cat' });
  await catRow.getByTestId('member-remove').click();
  await catRow.getByTestId('member-remove-confirm').click();
  await expect(ann.page.getByTestId('member-item').filter({ hasText: 'Cat' })).toHaveCount(0);
  await ann.page.getByTestId('sheet-close').click();
  await expect(messageTexts(ann.page)).toContainText([/removed Cat/]);

  const catsMessage = (page: Page) => page.getByTestId('message').filter({ hasText: 'Cat was here' }).locator('.author');
  await expect(catsMessage(ann.page)).toHaveText('Cat');
  await ann.page.screenshot({ path: `${SHOTS}/3-former-member-name-desktop.png` });
  await expect(cat.page.getByTestId('ended-notice')).toContainText('no longer a member');

  await cat.page.goto(link.pathname);
  await cat.page.getByTestId('join-group').click();
  await expect(cat.page.getByTestId('join-error')).toContainText('removed from this group');
  await cat.page.screenshot({ path: `${SHOTS}/6-rejoin-refused-phone.png` });
  await expect(ann.page.getByTestId('message').filter({ hasText: /joined with an invite link/ })).toHaveCount(1);

  // Cat, on the phone, still has the group in her list, read-only, with her message.
  await cat.page.goto('/');
  await cat.page.getByTestId('conversation-item').filter({ hasText: 'Choir' }).click();
  await expect(catsMessage(cat.page)).toHaveText('Cat');
  await cat.page.screenshot({ path: `${SHOTS}/3-former-member-own-view-phone.png` });
  await ann.context.close();
  await cat.context.close();
});
