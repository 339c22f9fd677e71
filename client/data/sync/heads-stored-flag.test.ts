/**
 * The "shared heads stored" flag (issue 12): a start with the flag reads the
 * stored heads without listing every IndexedDB database; without it (stored
 * by an older version) the list answers and the flag is written; a stale
 * flag (the copy gone) still finds no heads; sign-out removes it. Real relay
 * over `/mux`, fake IndexedDB, a Map-backed localStorage for this file.
 */
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { whenSynced } from '../../../sync-server/testing/synced-client.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { whenChanged } from '../../testing/wait-for.js';
import type { ChatSession } from '../session/chat-session.js';
import { deleteDatabase } from './local-data.js';
import { headsDatabaseName, headsStoredKey } from './shared-heads.js';
import { muxChatSession, muxUrlOf } from '../../testing/mux-chat-session.js';

const test = useTestServer({ headsShared: true, headsCoalesceMs: 0 });
// SharedHeads reads the browser's localStorage (Node has none): this file's own.
const storage = memoryStorage();
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
const sessions: ChatSession[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

function sessionOf(user: TestUser, url = muxUrlOf(test.server.url)): ChatSession {
  const { session } = muxChatSession(user, { url, storage, maxBackoffMs: 200 });
  sessions.push(session);
  return session;
}

const offlineUrl = 'ws://127.0.0.1:9/mux';

it('reads stored heads without listing the databases once remembered; lists them when the flag is missing; a stale flag finds none', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const id = await directConversation(test.server, ada, bob);
  const chat = test.open(ada, convDocName(id));
  await whenSynced(chat);
  const message = writeMessage(chat.doc, ada.id, 'news');
  await whenChanged(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 'numbered');
  await test.server.context.heads.idle();

  const online = sessionOf(bob);
  await online.heads.whenLoaded();
  await online.heads.whenStored();
  expect(storage.getItem(headsStoredKey(bob.id))).toBe('1');
  await online.close();

  const listed = vi.spyOn(indexedDB, 'databases');
  const remembered = sessionOf(bob, offlineUrl);
  await remembered.heads.whenLoaded();
  expect(remembered.heads.head(id)?.preview).toBe('news');
  expect(listed).not.toHaveBeenCalled();
  await remembered.close();

  // Stored by a version before the flag: the list answers, and the flag is written for the next start.
  storage.removeItem(headsStoredKey(bob.id));
  const older = sessionOf(bob, offlineUrl);
  await older.heads.whenLoaded();
  expect(older.heads.head(id)?.preview).toBe('news');
  expect(listed).toHaveBeenCalledTimes(1);
  expect(storage.getItem(headsStoredKey(bob.id))).toBe('1');
  await older.close();

  // The browser dropped the copy, the flag stayed: no heads, and the list still loads.
  await deleteDatabase(headsDatabaseName(bob.id));
  const stale = sessionOf(bob, offlineUrl);
  await stale.heads.whenLoaded();
  expect(stale.heads.sharedHeads).toBe(false);
  expect(stale.heads.head(id)).toBeUndefined();

  // Sign-out removes the flag with the copy.
  sessions.splice(sessions.indexOf(stale), 1);
  await stale.closeAndDeleteLocalData();
  expect(storage.getItem(headsStoredKey(bob.id))).toBeNull();
});
