/**
 * Deleting an account (issue 15), at desktop and phone size: Ann owns a
 * group with Cat and has written in it; she deletes her account from the
 * profile sheet (password and a tick asked for). Her device keeps nothing and
 * shows the sign-in; Cat owns the group now, and Ann's message is still there,
 * under "Deleted account", after a system message saying what happened.
 */
import { expect, test, type Page } from '@playwright/test';
import { messageTexts } from './chat-page.js';
import { personInNewContext, VIEWPORTS } from './people.js';

const SHOTS = '/tmp/issue15-shots';

async function openMyProfile(page: Page): Promise<void> {
  const back = page.getByTestId('back');
  if (await back.isVisible()) await back.click();
  await page.getByTestId('profile-edit').click();
}

for (const viewport of VIEWPORTS) {
  test(`delete my account at ${viewport.name} size`, async ({ browser }) => {
    const ann = await personInNewContext(browser, 'Ann', viewport.size);
    const cat = await personInNewContext(browser, 'Cat', viewport.size);
    const origin = new URL(ann.page.url()).origin;
    const created = await ann.page.request.post('/api/conversations', {
      data: { kind: 'group', title: 'Choir', memberIds: [] },
      headers: { origin },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const invite = await ann.page.request.post(`/api/conversations/${id}/invites`, { data: {}, headers: { origin } });
    expect(invite.status()).toBe(201);
    const { url } = (await invite.json()) as { url: string };
    await cat.page.goto(new URL(url).pathname);
    await cat.page.getByTestId('join-group').click();
    await expect(cat.page.getByTestId('conversation-title')).toHaveText('Choir');

    await ann.page.getByTestId('conversation-item').filter({ hasText: 'Choir' }).click();
    await ann.page.getByTestId('composer-input').fill('Ann was here');
    await ann.page.getByTestId('composer-input').press('Enter');
    await expect(messageTexts(cat.page)).toContainText(['Ann was here']);

    await openMyProfile(ann.page);
    const section = ann.page.getByTestId('delete-account');
    await section.scrollIntoViewIfNeeded();
    await section.getByTestId('delete-current-password').fill(ann.person.password);
    // Without the tick nothing happens, and the person is told why.
    await section.getByTestId('delete-account-submit').click();
    await expect(section.getByTestId('delete-error')).toBeVisible();
    await section.getByTestId('delete-understood').check();
    await section.screenshot({ path: `${SHOTS}/delete-account-${viewport.name}.png` });
    await section.getByTestId('delete-account-submit').click();
    await expect(ann.page.getByTestId('signin-submit')).toBeVisible();
    await expect(ann.page.getByRole('alert')).toContainText('Your account was deleted.');
    await ann.page.screenshot({ path: `${SHOTS}/account-deleted-${viewport.name}.png` });
    // Nothing of Ann stays on her device.
    const databases = await ann.page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name));
    expect(databases.filter((name) => name?.includes(id))).toEqual([]);

    const annsMessage = cat.page.getByTestId('message').filter({ hasText: 'Ann was here' });
    await expect(annsMessage.locator('.author')).toHaveText('Deleted account');
    await expect(messageTexts(cat.page)).toContainText([/A member deleted their account; Cat is the owner now/]);
    await cat.page.screenshot({ path: `${SHOTS}/deleted-author-${viewport.name}.png` });
    await ann.context.close();
    await cat.context.close();
  });
}
