/**
 * Issue 20: a message time outside JavaScript's Date range (`1e300`, finite,
 * which the old rules let in) threw while the list rendered, so no later
 * message showed, and after a reload none did. The rules refuse such times
 * now, but an old document may already hold one: the list must render every
 * other message around it, before and after a reload.
 *
 * The old document is made the way the relay's own server-side writes make
 * one (`registry.change`), on a server of this spec's own (`own-server.ts`):
 * the shared e2e server offers no way in past the rules, which is the point.
 */
import { expect, test } from '@playwright/test';
import { convDocName } from '../shared/doc-names.js';
import { newMessageId } from '../shared/message-id.js';
import { messagesOf, seqOf, type Message } from '../shared/schema.js';
import { directConversation } from '../sync-server/testing/direct-conversation.js';
import { createUser } from '../sync-server/testing/test-users.js';
import { signedInContext, startOwnServer, type OwnServer } from './own-server.js';
import { messageTexts, send } from './chat-page.js';

let own: OwnServer;

test.beforeAll(async () => {
  own = await startOwnServer();
});

test.afterAll(async () => {
  await own?.stop();
});

/** Times an old document may hold: past Date's range both ways, and (written before any rule) not numbers at all. */
const HOSTILE: Array<[text: string, times: Record<string, unknown>]> = [
  ['far future', { createdAt: 1e300 }],
  ['far past', { createdAt: -1e300 }],
  ['not a number', { createdAt: Number.NaN }],
  ['a string', { createdAt: 'yesterday' }],
  ['edited far', { createdAt: Date.now(), editedAt: 1e300 }],
];

test('a stored message with a time outside the Date range does not stop the list from rendering', async ({ browser }) => {
  const { server } = own;
  const [alice, bob] = [await createUser(server, 'Alice'), await createUser(server, 'Bob')];
  const conversationId = await directConversation(server, alice, bob);
  const texts = ['before', ...HOSTILE.map(([text]) => text), 'after'];
  await server.context.registry.change(convDocName(conversationId), (doc) => {
    texts.forEach((text, index) => {
      const id = newMessageId();
      const times = HOSTILE.find(([hostile]) => hostile === text)?.[1] ?? { createdAt: Date.now() };
      messagesOf(doc).set(id, { id, author: alice.id, kind: 'text', text, ...times } as unknown as Message);
      seqOf(doc).set(id, index + 1);
    });
  });

  const context = await signedInContext(browser, server, bob);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.getByTestId('conversation-item').filter({ hasText: 'Alice' }).click();
  await expect(messageTexts(page)).toHaveText(texts);
  // Later messages render too, and the good times are still shown.
  await send(page, 'and later');
  await expect(messageTexts(page)).toHaveText([...texts, 'and later']);
  await expect(page.locator('[data-testid="message"][data-state="delivered"]')).toHaveCount(texts.length + 1);
  await expect(page.getByTestId('message').filter({ hasText: 'before' }).locator('time')).toHaveCount(1);
  await expect(page.getByTestId('message').filter({ hasText: 'far future' }).locator('time')).toHaveCount(0);

  await page.reload();
  await expect(messageTexts(page)).toHaveText([...texts, 'and later']);
  expect(errors).toEqual([]);
  await context.close();
});
