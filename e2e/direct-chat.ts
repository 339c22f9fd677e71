/**
 * Two people in a direct chat, the start of most specs: friends made
 * through the API (the friends UI has its own spec), the chat opened
 * through the UI.
 */
import { expect, type Browser, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { type Person, type PersonInBrowser, personInNewContext } from './people.js';

/**
 * Makes two signed-in people friends through the API, each with their own
 * browser context's cookies (the friends UI has its own spec).
 */
export async function befriend(a: { page: Page; person: Person }, b: { page: Page; person: Person }): Promise<void> {
  const origin = new URL(a.page.url()).origin;
  const sent = await a.page.request.post('/api/friends/requests', { data: { email: b.person.email, note: 'hi' }, headers: { origin } });
  expect(sent.status()).toBe(201);
  const { id } = (await sent.json()) as { id: string };
  const accepted = await b.page.request.post(`/api/friends/requests/${id}/accept`, { headers: { origin } });
  expect(accepted.status()).toBe(200);
}

/** Starts (or reopens) the direct conversation with `other` (a friend) and waits for its chat view. */
export async function startDirectChat(page: Page, other: Person): Promise<void> {
  await page.getByTestId('new-conversation-email').fill(other.email);
  await page.getByTestId('new-conversation-submit').click();
  await expect(page.getByTestId('conversation-title')).toHaveText(other.name);
}

/**
 * Alice and Bob, each in a new browser context, made friends; Alice has their
 * direct chat open. With `firstMessage`, she has sent it and it is delivered.
 */
export async function aliceAndBobInDirectChat(
  browser: Browser,
  firstMessage?: string,
): Promise<{ alice: PersonInBrowser; bob: PersonInBrowser }> {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  if (firstMessage !== undefined) {
    await send(alice.page, firstMessage);
    await expect(alice.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');
  }
  return { alice, bob };
}
