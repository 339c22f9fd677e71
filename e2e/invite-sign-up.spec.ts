/**
 * Signing up from a group invite (issue 15): the invite survives sign-up and
 * the mail, activation signs the person in (no email to type again), and
 * they land on the invite and join. Desktop and phone sizes.
 */
import { expect, test } from '@playwright/test';
import { newPerson, openActivationLink, personInNewContext, signUpFrom } from './people.js';

const SIZES = [
  { label: 'desktop', viewport: { width: 1280, height: 800 }, hasTouch: false },
  { label: 'phone', viewport: { width: 360, height: 740 }, hasTouch: true },
];

for (const size of SIZES) {
  test(`a new person signs up from an invite link and lands in the group, signed in (${size.label})`, async ({ browser }) => {
    const owner = await personInNewContext(browser, 'Olga');
    const origin = new URL(owner.page.url()).origin;
    const created = await owner.page.request.post('/api/conversations', {
      data: { kind: 'group', title: 'Book club', memberIds: [] },
      headers: { origin },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const invite = await owner.page.request.post(`/api/conversations/${id}/invites`, { data: {}, headers: { origin } });
    const { url } = (await invite.json()) as { url: string };

    const context = await browser.newContext({ viewport: size.viewport, hasTouch: size.hasTouch });
    const page = await context.newPage();
    const person = newPerson('Nina');
    await signUpFrom(page, new URL(url).pathname, person);

    await openActivationLink(page, person);
    await expect(page.getByTestId('activation-result')).toContainText('signed in');
    await page.screenshot({ path: `/tmp/issue15-shots/5-activated-${size.label}.png` });
    await page.getByTestId('activation-continue').click();

    await expect(page.getByTestId('current-user')).toHaveText(person.name);
    await expect(page.getByTestId('join-title')).toHaveText('Book club');
    await page.screenshot({ path: `/tmp/issue15-shots/5-invite-after-activation-${size.label}.png` });
    await page.getByTestId('join-group').click();
    await expect(page.getByTestId('conversation-title')).toHaveText('Book club');
    await context.close();
    await owner.context.close();
  });
}
