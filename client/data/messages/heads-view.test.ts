/**
 * The app's side of shared conversation heads (HEADS_SHARED; docs/PROTOCOL.md,
 * "Shared conversation heads") against the real relay over `/mux`: the list
 * and unread counts read the shared head joined with my marks, across
 * devices, offline from IndexedDB, and a removed member's conversation
 * leaves the list and its head stays frozen. Real relay, LevelDB in a temp
 * dir, fake IndexedDB on the client; other devices write by the stock provider.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { MUX_PATH } from '../../../shared/mux-frames.js';
import { headsOf } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { api } from '../../../sync-server/testing/api-call.js';
import { groupThrough } from '../../../sync-server/testing/relay-cluster.js';
import { addressOf } from '../../../sync-server/testing/server-address.js';
import { whenSynced } from '../../../sync-server/testing/synced-client.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { waitFor, whenChanged } from '../../testing/wait-for.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { ChatSession } from '../session/chat-session.js';
import { MuxProvider } from '../sync/mux-provider.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { PendingIndex } from './pending-index.js';
import { unreadOf } from './unread-tracker.js';
import { cookieSocket } from '../../testing/cookie-socket.js';

const test = useTestServer({ headsShared: true, headsCoalesceMs: 0 });
const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const sessions: ChatSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

/** The app signed in as `user`; `url`: where its /mux socket goes (a dead port: offline). */
function sessionOf(user: TestUser, url = `${test.server.url.replace(/^http/, 'ws')}${MUX_PATH}`, mux = muxOf(user, url)): ChatSession {
  const documents = new OpenDocuments({ wsBase: 'unused', mux }, quietSignals);
  const storage = memoryStorage();
  const session = new ChatSession(user, documents, new PendingIndex(user.id, storage), () => true, new SetAsideStore(user.id, storage));
  sessions.push(session);
  return session;
}

function muxOf(user: TestUser, url = `${test.server.url.replace(/^http/, 'ws')}${MUX_PATH}`): MuxProvider {
  return new MuxProvider(url, { WebSocketPolyfill: cookieSocket(user.cookie), maxBackoffMs: 200 });
}

/** Ada's group with Bob, and a way for Ada (or Bob, on another device) to write into it, numbered. */
async function scene() {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const groupId = await groupThrough(addressOf(test.server), ada, [bob]);
  const writer = (user: TestUser, id = groupId) => {
    const chat = test.open(user, convDocName(id));
    return async (text: string) => {
      await whenSynced(chat);
      const message = writeMessage(chat.doc, user.id, text);
      await whenChanged(chat.doc, () => seqIndexOf(chat.doc).has(message.id), `"${text}" numbered`);
      return seqIndexOf(chat.doc).get(message.id) ?? -1;
    };
  };
  return { ada, bob, groupId, writer };
}

describe('HeadsView with shared heads', () => {
  it('lists the shared head with my marks: unread right across devices, my own message read', async () => {
    const { ada, bob, groupId, writer } = await scene();
    const adaWrites = writer(ada);
    await adaWrites('one');
    const two = await adaWrites('two');
    const session = sessionOf(bob);
    const tracker = unreadOf(session);
    // The head comes over /mux, the membership with Bob's user document: either may be first.
    const listed = () => session.conversations().some((c) => c.id === groupId);
    await whenChanged(
      [tracker, session.userDoc.doc],
      () => tracker.head(groupId)?.preview === 'two' && listed(),
      'the shared head in the list',
    );
    expect(session.heads.sharedHeads).toBe(true);
    // Bob read nothing: everything up to Ada's second message (the group's creation is numbered too) is unread.
    expect(tracker.count(groupId)).toBe(two);
    // The server wrote no head into Bob's user document: the list reads the shared one.
    expect(headsOf(session.userDoc.doc).get(groupId)).toBeUndefined();

    // Bob writes on his other device: his own head counts as read here at once, before his marks.
    const seq = await writer(bob)('from my phone');
    await whenChanged(tracker, () => tracker.head(groupId)?.seq === seq, "Bob's own head");
    expect(tracker.head(groupId)).toMatchObject({ author: bob.id, preview: 'from my phone', readSeq: seq });
    expect(tracker.count(groupId)).toBe(0);

    // Ada's next message counts one: Bob's marks (written for his message) say he read up to it.
    const three = await adaWrites('three');
    await whenChanged(tracker, () => tracker.head(groupId)?.seq === three, "Ada's next head");
    await whenChanged(tracker, () => tracker.count(groupId) === 1, 'one unread after my marks');
    expect(tracker.total()).toBe(tracker.count(groupId) + otherUnread(tracker, session, groupId));
  });

  it('takes a catch-up of many heads in one change, not one per head', async () => {
    const { ada, bob, groupId } = await scene();
    const group = async (title: string) =>
      (
        await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
          cookie: ada.cookie,
          body: { kind: 'group', title, memberIds: [bob.id] },
        })
      ).body.id;
    const more = [await group('two'), await group('three')];
    const groups = [groupId, ...more];
    await test.server.context.heads.idle();
    const session = sessionOf(bob);
    // Each change the list hears, as the groups it names: a person in 1,000 conversations must not pay 1,000 of them.
    const heard: string[][] = [];
    session.heads.subscribe((changes) => heard.push(groups.filter((id) => changes.has(id))));
    await waitFor(() => groups.every((id) => session.heads.head(id) !== undefined), 10_000, 'the three groups listed');
    expect(heard.filter((ids) => ids.length > 0).every((ids) => ids.length === groups.length)).toBe(true);
  });

  it('shows the list and counts offline from what IndexedDB holds', async () => {
    const { ada, bob, groupId, writer } = await scene();
    const adaWrites = writer(ada);
    await writer(bob)('mine');
    const seq = await adaWrites('news');
    const online = sessionOf(bob);
    const onlineTracker = unreadOf(online);
    await whenChanged(onlineTracker, () => onlineTracker.head(groupId)?.seq === seq && onlineTracker.count(groupId) === 1, 'online');
    await online.heads.whenStored();
    await online.close();

    // The relay cannot be reached: port 9 (discard) has nobody listening.
    const offline = sessionOf(bob, 'ws://127.0.0.1:9/mux');
    const tracker = unreadOf(offline);
    await whenChanged(tracker, () => tracker.head(groupId)?.preview === 'news' && tracker.count(groupId) === 1, 'offline list');
    expect(offline.heads.sharedHeads).toBe(true);
    expect(offline.userDoc.state.synced).toBe(false);
  });

  it('on a first sign-in (no stored copy), counts as loaded only once the catch-up is in (issue 12)', async () => {
    const { ada, bob, groupId, writer } = await scene();
    await writer(ada)('news');
    await test.server.context.heads.idle();
    const session = sessionOf(bob);
    await session.heads.whenLoaded();
    // Loaded before the catch-up, the list would draw every row without its preview, then all again.
    expect(session.heads.head(groupId)?.preview).toBe('news');
    expect(session.heads.sharedHeads).toBe(true);
  });

  it('offline, counts as loaded only with its stored heads in, which are told once (issue 12)', async () => {
    const { ada, bob, groupId, writer } = await scene();
    const seq = await writer(ada)('news');
    const online = sessionOf(bob);
    await waitFor(() => online.heads.head(groupId)?.seq === seq, 10_000, 'online head');
    await online.heads.whenStored();
    await online.close();

    const offline = sessionOf(bob, 'ws://127.0.0.1:9/mux');
    const told: number[] = [];
    offline.heads.subscribe((changes) => {
      if (changes.has(groupId)) told.push(changes.size);
    });
    // The list draws nothing until then: drawn before, it would show rows without previews, then all again.
    expect(offline.heads.loaded).toBe(false);
    await offline.heads.whenLoaded();
    expect(offline.heads.loaded).toBe(true);
    expect(offline.heads.head(groupId)?.preview).toBe('news');
    expect(offline.heads.sharedHeads).toBe(true);
    // The stored copy was told once (it was told twice: once as "offered", once as changed).
    expect(told).toHaveLength(1);
  });

  it('after the socket drops, subscribes again and tells of the next message as news, once; the catch-up is not news', async () => {
    const { ada, bob, groupId, writer } = await scene();
    const adaWrites = writer(ada);
    await adaWrites('old');
    const mux = muxOf(bob);
    const session = sessionOf(bob, undefined, mux);
    const tracker = unreadOf(session);
    const news: string[] = [];
    tracker.onNewMessage((id, head) => news.push(`${id === groupId ? 'group' : id}: ${head.preview}`));
    await whenChanged(tracker, () => tracker.head(groupId)?.preview === 'old', 'the head from the catch-up');
    const socketsBefore = mux.socketsOpened;
    mux.dropSocket();
    await whenChanged(session.userDoc, () => mux.socketsOpened > socketsBefore && session.userDoc.state.synced, 'a new socket');
    const seq = await adaWrites('new');
    await whenChanged(tracker, () => tracker.head(groupId)?.seq === seq, 'the live head after the drop');
    expect(news).toEqual(['group: new']);
  });

  it("a removed member's conversation leaves the list; its head stays as it was", async () => {
    const { ada, bob, groupId, writer } = await scene();
    const adaWrites = writer(ada);
    await adaWrites('before');
    const session = sessionOf(bob);
    const tracker = unreadOf(session);
    await whenChanged(tracker, () => tracker.head(groupId)?.preview === 'before', 'the head');
    expect((await api(test.server, 'DELETE', `/api/conversations/${groupId}/members/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);
    await whenChanged(session, () => !session.conversations().some((c) => c.id === groupId && !c.ended), 'the group left the list');
    expect(tracker.count(groupId)).toBe(0);
    await adaWrites('after');
    // A later head in another group of Bob's comes over the same socket after any head of the first would have.
    const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'Later', memberIds: [bob.id] },
    });
    expect(created.status).toBe(201);
    const laterGroup = created.body.id;
    await writer(ada, laterGroup)('later');
    await whenChanged(tracker, () => tracker.head(laterGroup)?.preview === 'later', 'the later group head');
    expect(tracker.head(groupId)?.preview).toBe('before');
  });
});

/** Unread in Bob's other conversations (the robot's greeting): the total is their sum. */
function otherUnread(tracker: ReturnType<typeof unreadOf>, session: ChatSession, except: string): number {
  return session
    .conversations()
    .filter((c) => c.id !== except)
    .reduce((sum, c) => sum + tracker.count(c.id), 0);
}
