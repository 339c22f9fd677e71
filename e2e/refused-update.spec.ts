/**
 * A change the relay refuses (issue 3 and 7): the client shows my unsent
 * messages failed with the reason instead of retrying forever, survives a
 * reload in that state, and "Retry" drops the refused local copy, resyncs
 * and sends the message once; "Discard" gives one up.
 *
 * The refusal is provoked honestly: a message under Bob's name is written
 * into Alice's replica of the conversation, reached through the chat view's
 * controller (the app exposes nothing for tests), and the relay's update
 * validator refuses it.
 */
import { expect, test, type Page } from '@playwright/test';
import type * as Y from 'yjs';
import { befriend, messageTexts, personInNewContext, send, startDirectChat } from './people.js';

/** Writes a message under `authorName`'s id into the open conversation's Y.Doc, as a tampered client would. */
async function forgeMessage(page: Page, authorName: string, text: string): Promise<void> {
  await page.evaluate(
    ({ authorName, text }) => {
      type View = { conversation?: { connection?: { doc: Y.Doc } } };
      const home = document.querySelector('chat-app')?.shadowRoot?.querySelector('chat-home');
      const view = home?.shadowRoot?.querySelector('chat-view') as View | null | undefined;
      const doc = view?.conversation?.connection?.doc;
      if (!doc) throw new Error('no open conversation');
      const members = doc.getMap('meta').get('members') as Record<string, { name: string }>;
      const author = Object.keys(members).find((id) => members[id]?.name === authorName);
      if (!author) throw new Error(`${authorName} is not a member`);
      const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => (byte % 36).toString(36)).join('');
      const id = `${Date.now().toString(36).padStart(9, '0')}-${random}`;
      doc.getMap('messages').set(id, { id, author, kind: 'text', text, createdAt: Date.now() });
    },
    { authorName, text },
  );
}

test('a refused change: failed with the reason, kept across a reload, retried once, or discarded', async ({ browser }) => {
  const alice = await personInNewContext(browser, 'Alice');
  const bob = await personInNewContext(browser, 'Bob');
  await befriend(alice, bob);
  await startDirectChat(alice.page, bob.person);
  await send(alice.page, 'before');
  await expect(alice.page.getByTestId('message')).toHaveAttribute('data-state', 'delivered');

  // Offline, Alice writes two messages, and her replica gets a forged one: they all go in one sync.
  await alice.context.setOffline(true);
  await send(alice.page, 'worth sending');
  await send(alice.page, 'better not');
  await expect(alice.page.locator('[data-testid="message"][data-state="pending"]')).toHaveCount(2);
  await forgeMessage(alice.page, 'Bob', 'forged by a tampered client');
  await alice.context.setOffline(false);

  const failed = alice.page.locator('[data-testid="message"][data-state="failed"]');
  await expect(failed).toHaveCount(2);
  await expect(failed.first().getByTestId('message-failure')).toContainText('refused: forged-author');
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveAttribute('data-phase', 'refused');
  // The forged message lives only in the refused copy: it is not shown as if it were Bob's.
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'better not']);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-failed', '2');

  // A reload keeps them failed, and the refused copy does not reconnect.
  await alice.page.reload();
  await expect(failed).toHaveCount(2);
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveAttribute('data-phase', 'refused');

  await failed.filter({ hasText: 'worth sending' }).getByTestId('message-retry').click();
  const delivered = alice.page.locator('[data-testid="message"][data-state="delivered"]');
  await expect(delivered).toHaveCount(2);
  await expect(failed).toHaveCount(1);
  await expect(alice.page.getByTestId('conversation-recovery')).toHaveCount(0);
  await failed.getByTestId('message-discard').click();
  await expect(failed).toHaveCount(0);
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending']);
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-failed', '0');
  await expect(alice.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');

  // Bob gets the retried message once, and never the forged or the discarded one.
  await bob.page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(bob.page)).toHaveText(['before', 'worth sending']);

  // The conversation syncs again both ways, and a reload shows the same.
  await send(bob.page, 'got it');
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'got it']);
  await alice.page.reload();
  await expect(messageTexts(alice.page)).toHaveText(['before', 'worth sending', 'got it']);
  await expect(delivered).toHaveCount(3);

  await alice.context.close();
  await bob.context.close();
});
