/**
 * Shared heads on a server WITHOUT them (HEADS_SHARED=0; on is the default): the
 * heads subscribe is refused with 4403, the app reads the per-member heads of
 * `user/<id>` as before, and shared heads a device stored on an earlier visit
 * (the server had them then) are dropped, not shown. Real relay over `/mux`,
 * fake IndexedDB.
 */
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import type { SharedHead } from '../../../shared/heads.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { whenSynced } from '../../../sync-server/testing/synced-client.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { whenChanged } from '../../testing/wait-for.js';
import { unreadOf } from '../messages/unread-tracker.js';
import type { ChatSession } from '../session/chat-session.js';
import { headsDatabaseName } from './shared-heads.js';
import { muxChatSession, muxUrlOf } from '../../testing/mux-chat-session.js';

const test = useTestServer({ headsShared: false, headsCoalesceMs: 0 });
const sessions: ChatSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

function sessionOf(user: TestUser, url = muxUrlOf(test.server.url)): ChatSession {
  const { session } = muxChatSession(user, { url, maxBackoffMs: 200 });
  sessions.push(session);
  return session;
}

/** What an earlier visit to a server with shared heads left in this device's IndexedDB. */
async function storeSharedHead(userId: string, conversationId: string, head: SharedHead): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(headsDatabaseName(userId), 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('heads');
      request.result.createObjectStore('meta');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const transaction = db.transaction(['heads', 'meta'], 'readwrite');
  transaction.objectStore('heads').put({ rev: 5, head }, conversationId);
  transaction.objectStore('meta').put(true, 'offered');
  await new Promise((resolve) => {
    transaction.oncomplete = resolve;
  });
  db.close();
}

it('reads the per-member heads when the server refuses shared heads, and drops the shared heads stored before', async () => {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const id = await directConversation(test.server, ada, bob);
  const chat = test.open(ada, convDocName(id));
  await whenSynced(chat);
  const message = writeMessage(chat.doc, ada.id, 'per member');
  await whenChanged(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 'numbered');
  await storeSharedHead(bob.id, id, { seq: 99, at: 1, author: ada.id, kind: 'text', preview: 'stale shared head' });

  // Offline, the stored copy is all there is: it shows (the server had shared heads last time).
  const offline = sessionOf(bob, 'ws://127.0.0.1:9/mux');
  const offlineTracker = unreadOf(offline);
  await whenChanged(offlineTracker, () => offlineTracker.head(id)?.preview === 'stale shared head', 'the stored shared head');
  await offline.close();

  const session = sessionOf(bob);
  const tracker = unreadOf(session);
  await whenChanged(tracker, () => tracker.head(id)?.preview === 'per member', 'the per-member head');
  expect(session.heads.sharedHeads).toBe(false);
  expect(tracker.count(id)).toBe(tracker.head(id)?.seq);
  expect(tracker.head(id)?.seq).toBeLessThan(99);
});
