/**
 * Everything people write is rendered inert: classic XSS payloads in a
 * message, a display name, a remark and a group name cause no dialog, no
 * script and no navigation.
 */
import { expect, test, type Page } from '@playwright/test';
import { messageTexts, send } from './chat-page.js';
import { befriend, startDirectChat } from './direct-chat.js';
import { personInNewContext } from './people.js';

const PAYLOADS = [
  '<script>window.__xss = 1; alert(1)</script>',
  '<img src=x onerror="window.__xss = 2; alert(2)">',
  '<svg onload="window.__xss = 3; alert(3)"></svg>',
  '"><iframe src="javascript:alert(4)"></iframe>',
  'javascript:alert(5)',
  '[click me](javascript:alert(6))',
  '<a href="javascript:alert(7)">link</a>',
  '{{constructor.constructor("alert(8)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the literal text a person might type.
  '${alert(9)}',
];

/** Fails the test on any dialog, and records navigations away from the app. */
function watch(page: Page): { dialogs: string[] } {
  const seen = { dialogs: [] as string[] };
  page.on('dialog', async (dialog) => {
    seen.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return seen;
}

test('payloads in messages, names, remarks and group names stay text', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  const aliceSeen = watch(alice.page);
  const bobSeen = watch(bob.page);

  // Alice takes a hostile display name.
  const hostileName = '<img src=x onerror=alert(10)>';
  const renamed = await alice.page.request.patch('/api/me', {
    data: { name: hostileName },
    headers: { origin: new URL(alice.page.url()).origin },
  });
  expect(renamed.status()).toBe(200);

  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  for (const payload of PAYLOADS) await send(alice.page, payload);

  await bob.page.getByTestId('conversation-item').first().click();
  await expect(messageTexts(bob.page)).toHaveText(PAYLOADS);
  // The hostile name is shown as text where Bob sees it.
  await expect(bob.page.getByTestId('conversation-title')).toHaveText(hostileName);

  // A hostile remark (Alice's private name for Bob) and a hostile group name.
  const origin = new URL(alice.page.url()).origin;
  const hostileRemark = '<svg/onload=alert(11)>';
  const hostileGroup = '"><img src=x onerror=alert(12)>';
  const bobId = ((await (await bob.page.request.get('/api/me')).json()) as { id: string }).id;
  expect(
    (await alice.page.request.put(`/api/friends/${bobId}/remark`, { data: { remark: hostileRemark }, headers: { origin } })).status(),
  ).toBe(204);
  const group = await alice.page.request.post('/api/conversations', {
    data: { kind: 'group', title: hostileGroup, memberIds: [bobId] },
    headers: { origin },
  });
  expect(group.status()).toBe(201);
  await expect(alice.page.getByTestId('conversation-item').filter({ hasText: hostileRemark })).toHaveCount(1);
  await expect(bob.page.getByTestId('conversation-item').filter({ hasText: hostileGroup })).toHaveCount(1);
  await bob.page.getByTestId('conversation-item').filter({ hasText: hostileGroup }).click();
  await expect(bob.page.getByTestId('conversation-title')).toHaveText(hostileGroup);

  // No payload became a link, a script or a frame.
  for (const page of [alice.page, bob.page]) {
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(
      await page
        .locator(
          '[data-testid="message-text"] img, [data-testid="message-text"] svg, [data-testid="message-text"] iframe, [data-testid="message-text"] script',
        )
        .count(),
    ).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(new URL(page.url()).origin).toBe(new URL(alice.page.url()).origin);
  }
  expect(aliceSeen.dialogs).toEqual([]);
  expect(bobSeen.dialogs).toEqual([]);

  await alice.context.close();
  await bob.context.close();
});
