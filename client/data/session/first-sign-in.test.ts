/**
 * A person's first sign-in on a device (issue 12's cold first sign-in): their
 * `user/<id>` has no local copy, so it subscribes at once, not after
 * IndexedDB opened an empty database; a later start waits for the local copy
 * first, as before. Real relay over `/mux`, fake IndexedDB.
 */
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { createUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { muxChatSession, muxUrlOf } from '../../testing/mux-chat-session.js';
import { whenChanged } from '../../testing/wait-for.js';
import type { ChatSession } from './chat-session.js';

const test = useTestServer({ headsCoalesceMs: 0 });
const sessions: ChatSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

it("subscribes the person's own document before its (empty) local copy is read on a first sign-in, and syncs it", async () => {
  const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, ann, bob);
  const { session } = muxChatSession(ann, { url: muxUrlOf(test.server.url), firstOnThisDevice: true });
  sessions.push(session);
  expect(session.userDoc.state.localLoaded).toBe(false);
  expect(session.userDoc.provider.wantsConnection).toBe(true);
  await whenChanged(session, () => session.conversations().some((c) => c.id === conversationId), 'the list synced');
});

it('waits for the local copy before subscribing on a later start', async () => {
  const ann = await createUser(test.server, 'Ann');
  const { session } = muxChatSession(ann, { url: muxUrlOf(test.server.url) });
  sessions.push(session);
  expect(session.userDoc.provider.wantsConnection).toBe(false);
  await session.userDoc.whenLocalLoaded;
  expect(session.userDoc.provider.wantsConnection).toBe(true);
});
