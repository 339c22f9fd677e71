/**
 * One WebSocket per tab (issue 12): a person in many conversations syncs
 * all of them over one socket to `/mux`, however many they open; a
 * conversation they are removed from is refused on that socket while the
 * others keep syncing, and no new socket opens for it.
 */
import { expect, test, type Page } from '@playwright/test';
import { messageTexts, send } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext } from './people.js';
import { watchSyncTraffic } from './sync-traffic.js';

const GROUPS = 40;
const OPENED = 8;

function entry(page: Page, title: string) {
  return page.getByTestId('conversation-item').getByText(title, { exact: true });
}

async function open(page: Page, title: string): Promise<void> {
  await entry(page, title).click();
  await expect(page.getByTestId('conversation-title')).toHaveText(title);
}

test('a person in many conversations syncs them all over one socket; a removal refuses one document on it, not the others', async ({
  browser,
}) => {
  const ann = await personInNewContext(browser, 'Ann');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(ann, bob);
  const origin = new URL(ann.page.url()).origin;
  const bobId = ((await (await bob.page.request.get('/api/me')).json()) as { id: string }).id;
  const ids = new Map<string, string>();
  for (let i = 1; i <= GROUPS; i++) {
    const created = await ann.page.request.post('/api/conversations', {
      data: { kind: 'group', title: `Group ${i}`, memberIds: [bobId] },
      headers: { origin },
    });
    expect(created.status()).toBe(201);
    ids.set(`Group ${i}`, ((await created.json()) as { id: string }).id);
  }

  // Bob starts afresh with every group in his list, counting the sockets his tab opens.
  const traffic = watchSyncTraffic(bob.page);
  const { sockets } = traffic;
  await bob.page.reload();
  await expect(entry(bob.page, `Group ${GROUPS}`)).toBeVisible();
  for (let i = 1; i <= OPENED; i++) await open(bob.page, `Group ${i}`);
  await expect(bob.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');
  expect(sockets.length, `sockets Bob's tab opened: ${sockets.join(', ')}`).toBeLessThanOrEqual(2);
  expect(sockets.length).toBeGreaterThanOrEqual(1);
  expect(sockets.every((url) => new URL(url).pathname === '/mux')).toBe(true);
  // Every conversation opened was subscribed on that socket.
  for (let i = 1; i <= OPENED; i++) expect(traffic.documents).toContain(`conv/${ids.get(`Group ${i}`)}`);

  // Ann removes Bob from Group 1 while his tab has it (and seven others) subscribed on that one socket.
  const removed = await ann.page.request.delete(`/api/conversations/${ids.get('Group 1')}/members/${bobId}`, { headers: { origin } });
  expect(removed.status()).toBe(204);
  await open(bob.page, 'Group 1');
  await expect(bob.page.getByTestId('ended-notice')).toContainText('no longer a member');

  // Group 2 keeps syncing on the same socket.
  await open(ann.page, 'Group 2');
  await send(ann.page, 'still talking in Group 2');
  await open(bob.page, 'Group 2');
  await expect(messageTexts(bob.page)).toContainText(['still talking in Group 2']);
  await send(bob.page, 'Bob answers');
  await expect(messageTexts(ann.page)).toContainText(['Bob answers']);
  await expect(bob.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'online');
  expect(sockets.length, 'no socket opened for the refusal or after it').toBeLessThanOrEqual(2);

  for (const person of [ann, bob]) await person.context.close();
});
