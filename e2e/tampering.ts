/**
 * What a tampered (or buggy) client could write: a message straight into
 * the open conversation's Y.Doc (its newest history segment), past the composer's checks. The document is
 * reached through the chat view's controller; the app exposes nothing for
 * tests.
 */
import type { Page } from '@playwright/test';
import type * as Y from 'yjs';

/** Writes a text message under the id of the member called `authorName` into the open conversation. */
export function writeMessageAs(page: Page, authorName: string, text: string): Promise<void> {
  return writeMessagesAs(page, authorName, [text]);
}

/**
 * Writes text messages under the id of the member called `authorName` into
 * the open conversation, in one transaction: the provider sends them to the
 * relay as one update frame. `times`: when the first was written and how
 * far apart the others were (default now, one millisecond).
 */
export async function writeMessagesAs(
  page: Page,
  authorName: string,
  texts: string[],
  times: { startAt?: number; stepMs?: number } = {},
): Promise<void> {
  // Written once the conversation's `meta` (its members) has reached the page: the title shows from the list
  // before `conv/<id>` has synced, and under load the write came first and found no members.
  await page.waitForFunction(
    ({ authorName, texts, times }) => {
      type View = { conversation?: { connection?: { doc: Y.Doc }; writer?: () => { doc: Y.Doc } | undefined } };
      const home = document.querySelector('chat-app')?.shadowRoot?.querySelector('chat-home');
      const view = home?.shadowRoot?.querySelector('chat-view') as View | null | undefined;
      // `meta` is in `conv/<id>`; new messages go into the newest history segment (docs/SEGMENTS.md), as the app writes them.
      const metaDoc = view?.conversation?.connection?.doc;
      const doc = view?.conversation?.writer?.()?.doc ?? metaDoc;
      if (!doc || !metaDoc) return false;
      const members = metaDoc.getMap('meta').get('members') as Record<string, { name: string }> | undefined;
      if (!members) return false;
      const author = Object.keys(members).find((id) => members[id]?.name === authorName);
      if (!author) throw new Error(`${authorName} is not a member`);
      const start = times.startAt ?? Date.now();
      doc.transact(() => {
        texts.forEach((text, index) => {
          // Apart (one millisecond at least), so they are listed in the order given.
          const createdAt = start + index * (times.stepMs ?? 1);
          // A well-formed message id (shared/message-id.ts), so only what the test means is wrong.
          const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => (byte % 36).toString(36)).join('');
          const id = `${createdAt.toString(36).padStart(9, '0')}-${random}`;
          doc.getMap('messages').set(id, { id, author, kind: 'text', text, createdAt });
        });
      });
      return true;
    },
    { authorName, texts, times },
    { timeout: 10_000 },
  );
}
