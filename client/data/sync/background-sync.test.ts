/**
 * Background sync (issue 12) against the real relay over the shared socket:
 * conversations with new activity are synced without being opened, newest
 * first and within the count bound, then closed (so the relay unloads them),
 * and what they brought is in this device's copy for offline reading.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { messagesOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { openSegmented } from '../../../sync-server/testing/segmented-client.js';
import { whenSynced } from '../../../sync-server/testing/synced-client.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { whenChanged } from '../../testing/wait-for.js';
import { unreadOf } from '../messages/unread-tracker.js';
import type { ChatSession } from '../session/chat-session.js';
import { DEFAULT_BACKGROUND_BOUNDS } from './background-plan.js';
import { BACKGROUND_SYNC_KEY, backgroundSyncWanted, startBackgroundSync, type BackgroundSync } from './background-sync.js';
import { DocConnection } from './doc-connection.js';
import type { MuxProvider } from './mux-provider.js';
import { cookieSocket } from '../../testing/cookie-socket.js';
import { muxChatSession, muxUrlOf } from '../../testing/mux-chat-session.js';

const test = useTestServer({ headsCoalesceMs: 0 });
const sessions: ChatSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

function sessionOf(user: TestUser): { session: ChatSession; mux: MuxProvider } {
  const opened = muxChatSession(user, { url: muxUrlOf(test.server.url) });
  sessions.push(opened.session);
  return opened;
}

/** `count` friends of Ann, each of whom writes `messages` messages to her, the last friend last. */
async function friendsWriting(ann: TestUser, count: number, messages = 2): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const friend = await createUser(test.server, `Friend ${i}`);
    const id = await directConversation(test.server, ann, friend);
    const client = test.open(friend, convDocName(id));
    await whenSynced(client);
    for (let m = 0; m < messages; m++) writeMessage(client.doc, friend.id, `message ${m} from friend ${i}`);
    await whenChanged(client.doc, () => seqIndexOf(client.doc).size === messages, `friend ${i}'s messages numbered`);
    ids.push(id);
  }
  return ids;
}

const idle = (sync: BackgroundSync, copies: () => boolean, timeoutMs = 15_000) =>
  whenChanged(sync, () => copies() && sync.inProgress().length === 0, 'background sync done', timeoutMs);

describe('BackgroundSync', () => {
  it('syncs the conversations with new activity without their being opened, then closes them', async () => {
    const ann = await createUser(test.server, 'Ann');
    const ids = await friendsWriting(ann, 4);
    test.closeClients();
    const { session, mux } = sessionOf(ann);
    const tracker = unreadOf(session);
    await whenChanged(tracker, () => ids.every((id) => tracker.head(id)?.seq === 2), 'every head in the list');
    const sync = startBackgroundSync(session, memoryStorage());
    await idle(sync, () => ids.every((id) => sync.copies.seq(id) === 2));
    expect(session.openedConversationIds()).toEqual([]);
    expect(mux.socketsOpened).toBe(1);
    // Closed here, so the relay unloads them: loaded documents follow activity, not membership.
    const registry = test.server.context.registry;
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const look = () => {
        if (ids.every((id) => !registry.isLoaded(convDocName(id)))) resolve();
        else if (Date.now() - started > 5000) reject(new Error('conversations still loaded'));
        else setTimeout(look, 20);
      };
      look();
    });
    // What they brought is in this device's copies: readable with no network at all.
    for (const id of ids) {
      const offline = new DocConnection(convDocName(id), { wsBase: 'ws://127.0.0.1:9/sync', WebSocketPolyfill: cookieSocket('') });
      await offline.whenLocalLoaded;
      expect(messagesOf(offline.doc).size, `messages of ${id} offline`).toBe(2);
      await offline.destroy();
    }
  });

  it('syncs only the most recently active conversations within the count bound, and again when a head moves', async () => {
    const ann = await createUser(test.server, 'Ann');
    const ids = await friendsWriting(ann, 4, 1);
    const { session } = sessionOf(ann);
    const tracker = unreadOf(session);
    await whenChanged(tracker, () => ids.every((id) => tracker.head(id)?.seq === 1), 'every head in the list');
    const sync = startBackgroundSync(session, memoryStorage(), { bounds: { ...DEFAULT_BACKGROUND_BOUNDS, maxConversations: 2 } });
    const newest = ids.slice(2);
    await idle(sync, () => newest.every((id) => sync.copies.seq(id) === 1));
    expect(ids.slice(0, 2).map((id) => sync.copies.seq(id))).toEqual([0, 0]);
    // The friend of the first conversation writes again: it is among the two most active now.
    const first = ids[0] ?? '';
    const otherDevice = test.open(ann, convDocName(first));
    await whenSynced(otherDevice);
    writeMessage(otherDevice.doc, ann.id, 'Ann writes from another device');
    await idle(sync, () => sync.copies.seq(first) === 2);
    expect(session.openedConversationIds().includes(first)).toBe(false);
  });

  it('yields a conversation the person opens: it stays open after background sync is done with it', async () => {
    const ann = await createUser(test.server, 'Ann');
    const [id] = await friendsWriting(ann, 1);
    const { session } = sessionOf(ann);
    const tracker = unreadOf(session);
    await whenChanged(tracker, () => tracker.head(id ?? '')?.seq === 2, 'the head');
    const sync = startBackgroundSync(session, memoryStorage());
    await whenChanged(sync, () => sync.inProgress().length > 0 || sync.copies.seq(id ?? '') === 2, 'background sync started');
    const opened = session.openConversation(id ?? '');
    await idle(sync, () => sync.copies.seq(id ?? '') === 2);
    expect(session.openedConversation(id ?? '')).toBe(opened);
    expect(session.openedConversationIds()).toEqual([id]);
  });

  it('brings the newest history segment, where new messages live, up to date for offline reading', { timeout: 60_000 }, async () => {
    const ann = await createUser(test.server, 'Ann');
    const friend = await createUser(test.server, 'Friend');
    const id = await directConversation(test.server, ann, friend);
    await test.restart({ historySegments: { messages: 2, bytes: 0 } });
    const writer = await openSegmented(test.server, friend, id);
    // One at a time, each numbered before the next: the conversation rolls over to segment 1 and on.
    for (let m = 0; m < 5; m++) await writer.sendAndWait(`message ${m}`);
    expect(writer.newest()).toBeGreaterThan(0);
    writer.destroy();
    test.closeClients();
    const { session } = sessionOf(ann);
    const tracker = unreadOf(session);
    // Segment 0 holds messages 1 and 2; the head is at least past them.
    await whenChanged(tracker, () => (tracker.head(id)?.seq ?? 0) > 2, 'the head');
    const sync = startBackgroundSync(session, memoryStorage());
    // Three documents one after another (`conv/<id>`, its newest segment; the robot's): a busy machine needs the time.
    await idle(sync, () => sync.copies.seq(id) > 2, 40_000);
    expect(session.openedConversationIds()).toEqual([]);
  });

  it('is on unless the device switched it off', () => {
    const storage = memoryStorage();
    expect(backgroundSyncWanted(storage)).toBe(true);
    storage.setItem(BACKGROUND_SYNC_KEY, 'off');
    expect(backgroundSyncWanted(storage)).toBe(false);
  });
});
