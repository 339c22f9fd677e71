/**
 * A session's conversation in history segments (docs/SEGMENTS.md) against
 * the real relay over the shared socket, with a small rollover bound: the
 * device sends into the newest segment and follows each rollover; a fresh
 * device syncs `conv/<id>` and the newest segment only, and the segment
 * before it when asked; a change to an old message goes to its segment.
 */
import 'fake-indexeddb/auto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { convDocName, segmentDocName } from '../../../shared/doc-names.js';
import { orderedMessages } from '../../../shared/message-order.js';
import { messagesOf, metaOf, reactionsOf } from '../../../shared/schema.js';
import { directConversation } from '../../../sync-server/testing/direct-conversation.js';
import { loadConfig } from '../../../sync-server/config.js';
import { DEFAULT_HISTORY_SEGMENTS, ROLLOVER_OFF } from '../../../sync-server/segments/conversation-segments.js';
import { createUser, type TestUser } from '../../../sync-server/testing/test-users.js';
import { useTestServer } from '../../../sync-server/testing/use-test-server.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { mergeSegments } from '../messages/segment-run.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import { waitFor, whenChanged } from '../../testing/wait-for.js';
import { toggleReaction } from '../messages/message-edits.js';
import { MuxProvider } from '../sync/mux-provider.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import type { ChatSession } from './chat-session.js';
import { ConversationSegments, type NewestHint } from './conversation-segments.js';
import { SegmentKeep } from './segment-keep.js';
import { cookieSocket } from '../../testing/cookie-socket.js';
import { muxChatSession, muxUrlOf } from '../../testing/mux-chat-session.js';

const BOUND = 5;
// As in production: a new conversation starts in segment 1 (docs/SEGMENTS.md).
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });
const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const sessions: ChatSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.closeAndDeleteLocalData()));
});

/**
 * A session over the shared socket, with the names of the documents it
 * subscribed to. `device` is another session's localStorage (the same
 * device, after a reload) and `url` where its socket goes (a port nobody
 * listens on: the device is offline).
 */
function sessionOf(
  user: TestUser,
  device?: { storage: KeyValueStorage; url: string },
): { session: ChatSession; subscribed: string[]; storage: KeyValueStorage } {
  const url = device?.url ?? test.server.url;
  const { session, documents, storage } = muxChatSession(user, { url: muxUrlOf(url), storage: device?.storage });
  const subscribed: string[] = [];
  documents.addEventListener('change', () => {
    for (const { name } of documents.all()) if (!subscribed.includes(name)) subscribed.push(name);
  });
  sessions.push(session);
  return { session, subscribed, storage };
}

/** An address where nobody listens: a session pointed there is a device with the server gone. */
async function nobodyListening(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** The texts of the messages a conversation's list shows, oldest first. */
function shownTexts(segments: ReturnType<ChatSession['segments']>): string[] {
  return mergeSegments(segments.shown().map(({ segment, connection }) => ({ segment, messages: orderedMessages(connection.doc) }))).map(
    (entry) => entry.message.text,
  );
}

/** Ann writes two segments' worth to Bob: the last message closes segment 2, and the newest, 3, is empty. */
async function conversationEndingInARollover(): Promise<{ id: string; bob: TestUser }> {
  const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
  const id = await directConversation(test.server, ann, bob);
  const { session } = sessionOf(ann);
  const segments = session.segments(id);
  await whenChanged(segments, () => segments.newest === 1, 'segment 1, where a new conversation starts');
  for (let i = 1; i <= 2 * BOUND; i++) {
    expect(session.send(id, `message ${i}`).ok).toBe(true);
    await whenChanged(session, () => session.pendingCount() === 0, `message ${i} numbered`);
    await whenChanged(segments, () => segments.newest === 1 + Math.floor(i / BOUND), `the list after message ${i}`);
  }
  return { id, bob };
}

const closing: OpenDocuments[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((documents) => documents.destroyAndClear()));
});

/**
 * Bob's segments of the conversation on a fresh device, opened from `hint`
 * (his list's head): `conv/<id>` and every segment from the relay, but
 * segment 3 through a socket to where nobody listens, so its answer never
 * comes (the relay's slowest answer, held forever).
 */
async function segmentsWithNewestOnItsWay(bob: TestUser, id: string, hint: NewestHint): Promise<ConversationSegments> {
  const muxTo = (url: string) => new MuxProvider(muxUrlOf(url), { WebSocketPolyfill: cookieSocket(bob.cookie) });
  const online = new OpenDocuments({ wsBase: 'unused', mux: muxTo(test.server.url) }, quietSignals);
  const onItsWay = new OpenDocuments({ wsBase: 'unused', mux: muxTo(await nobodyListening()) }, quietSignals);
  closing.push(online, onItsWay);
  const segments = new ConversationSegments(
    id,
    online.open(convDocName(id)),
    {
      open: (name, options) => (name === segmentDocName(id, 3) ? onItsWay : online).open(name, { connectAtOnce: options?.neverHeld }),
      deleteLocal: (name) => online.closeAndClear(name),
    },
    new SegmentKeep(bob.id, memoryStorage()),
    hint,
  );
  return segments;
}

describe('a conversation in history segments, on a device', () => {
  it('sends into the newest segment across rollovers; a fresh device syncs the newest only, then the one before it on demand', async () => {
    const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ann, bob);
    const { session: annSession } = sessionOf(ann);
    const segments = annSession.segments(id);
    await whenChanged(segments, () => segments.newest === 1, 'segment 1, where a new conversation starts');
    const sentTo: number[] = [];
    for (let i = 1; i <= 3 * BOUND; i++) {
      const writer = segments.newest;
      expect(annSession.send(id, `message ${i}`).ok).toBe(true);
      sentTo.push(writer);
      // Each one numbered before the next: the rollover after a full segment lands in between.
      await whenChanged(annSession, () => annSession.pendingCount() === 0, `message ${i} numbered`);
      await whenChanged(segments, () => segments.newest === 1 + Math.floor(i / BOUND), `the list after message ${i}`);
    }
    expect(sentTo.slice(0, BOUND).every((n) => n === 1)).toBe(true);
    expect(sentTo.at(-1)).toBe(3);
    expect(messagesOf(segments.root.doc).size).toBe(0);
    await annSession.closeAndDeleteLocalData();

    const { session: bobSession, subscribed } = sessionOf(bob);
    const bobSegments = bobSession.segments(id);
    await whenChanged(bobSegments, () => bobSegments.newest === 4 && bobSegments.shown().length > 0, 'the newest segment synced');
    // Segment 4 is the newest (opened by the last rollover, empty): the list has nothing older loaded yet.
    expect(subscribed.filter((name) => name.startsWith(`conv/${id}`)).sort()).toEqual([`conv/${id}`, segmentDocName(id, 4)].sort());
    expect(bobSegments.hasOlder()).toBe(true);

    bobSegments.openOlder();
    // Never held on this device: it subscribes at once, not after its empty local database opened (issue 13).
    const opening = bobSegments.connectionOf(3);
    expect(opening?.state.localLoaded).toBe(false);
    expect(opening?.provider.wantsConnection).toBe(true);
    await whenChanged(bobSegments, () => bobSegments.shown().length === 2, 'segment 3 shown');
    const older = bobSegments.connectionOf(3);
    if (!older) throw new Error('segment 3 not open');
    const texts = orderedMessages(older.doc).map((entry) => entry.message.text);
    expect(texts).toEqual([11, 12, 13, 14, 15].map((i) => `message ${i}`));
    expect(orderedMessages(older.doc).map((entry) => entry.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(subscribed).not.toContain(segmentDocName(id, 2));

    // A reaction to an old message goes into the segment that holds it.
    const target = orderedMessages(older.doc)[0];
    if (!target) throw new Error('no message');
    expect(toggleReaction(older.doc, bob.id, target.message.id, '👍').ok).toBe(true);
    expect(reactionsOf(older.doc).size).toBe(1);
    expect(messagesOf(bobSegments.writer().doc).has(target.message.id)).toBe(false);
  });

  // Issue 13's first open: the newest segment was opened only once `conv/<id>`'s list arrived, one round trip after it.
  it('a device that has the conversation’s head opens the newest segment together with conv/<id>', async () => {
    const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ann, bob);
    const { session: annSession } = sessionOf(ann);
    const segments = annSession.segments(id);
    await whenChanged(segments, () => segments.newest === 1, 'segment 1, where a new conversation starts');
    for (let i = 1; i <= BOUND + 1; i++) {
      expect(annSession.send(id, `message ${i}`).ok).toBe(true);
      await whenChanged(annSession, () => annSession.pendingCount() === 0, `message ${i} numbered`);
      await whenChanged(segments, () => segments.newest === 1 + Math.floor(i / BOUND), `the list after message ${i}`);
    }

    const { session: bobSession, subscribed } = sessionOf(bob);
    // The heads the session reads (shared ones over /mux, the default; per member in user/<id> with HEADS_SHARED=0).
    await waitFor(() => bobSession.heads.head(id)?.seq === BOUND + 1, 10_000, 'Bob’s list has the head');
    expect(bobSession.heads.head(id)?.segment).toBe(2);
    const bobSegments = bobSession.segments(id);
    // Both at once, before anything of `conv/<id>` arrived.
    expect(subscribed.filter((name) => name.startsWith(`conv/${id}`)).sort()).toEqual([`conv/${id}`, segmentDocName(id, 2)].sort());
    expect(bobSegments.newest).toBe(2);
    expect(bobSegments.hasOlder()).toBe(false);
    await whenChanged(bobSegments, () => bobSegments.shown().length === 1 && bobSegments.root.state.synced, 'segment 2 shown');
    expect(shownTexts(bobSegments)).toEqual([`message ${BOUND + 1}`]);
    expect(bobSegments.hasOlder()).toBe(true);
  });

  // Issue 13's first open: the last message closed its segment, and the list waited for the empty newest's answer.
  it('shows the head’s segment without waiting for an empty newest segment right after it', async () => {
    const { id, bob } = await conversationEndingInARollover();
    const segments = await segmentsWithNewestOnItsWay(bob, id, { segment: 2, seq: 2 * BOUND });
    await whenChanged(segments, () => segments.shown().length > 0, 'the head’s segment shown');
    expect(segments.newest).toBe(3);
    expect(segments.connectionOf(3)?.state.synced).toBe(false);
    expect(shownTexts(segments)).toEqual([6, 7, 8, 9, 10].map((i) => `message ${i}`));
    expect(segments.hasOlder()).toBe(true);
    // New messages still go to the newest, and the segment before the head's is the next older one.
    expect(segments.writer()).toBe(segments.connectionOf(3));
    segments.openOlder();
    expect(segments.connectionOf(1)).toBeDefined();
  });

  it('a head further behind waits for the segments after it, as before', async () => {
    const { id, bob } = await conversationEndingInARollover();
    // The head's segment is 1, two before the newest: segment 2, which holds later messages, is not known to be empty.
    const segments = await segmentsWithNewestOnItsWay(bob, id, { segment: 1, seq: BOUND });
    const head = segments.connectionOf(1);
    await whenChanged(
      segments,
      () => segments.newest === 3 && segments.root.state.synced && head?.state.synced === true,
      'conv/<id> and segment 1',
    );
    expect(segments.shown()).toEqual([]);
  });

  // Issue 13: rollover is on by default, and nothing stored is migrated: a conversation written as one
  // document (every conversation before segments) must open as it was and continue in segments.
  it('opens a whole document written with rollover off under the default bound, and continues it in segment 1', async () => {
    await test.restart({ historySegments: ROLLOVER_OFF });
    const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ann, bob);
    const before = sessionOf(ann).session;
    for (let i = 1; i <= BOUND; i++) expect(before.send(id, `old ${i}`).ok).toBe(true);
    await whenChanged(before, () => before.pendingCount() === 0, 'the old messages numbered');
    expect(messagesOf(before.segments(id).root.doc).size).toBe(BOUND);
    await before.closeAndDeleteLocalData();

    // The product's defaults: the old conversation opens whole from `conv/<id>`, and is not split below the bound.
    await test.restart({ historySegments: loadConfig({}).historySegments });
    expect(loadConfig({}).historySegments).toEqual(DEFAULT_HISTORY_SEGMENTS);
    const fresh = sessionOf(bob).session;
    const segments = fresh.segments(id);
    await whenChanged(segments, () => segments.shown().length > 0 && segments.root.state.synced, 'the old conversation synced');
    expect(segments.newest).toBe(0);
    expect(segments.hasOlder()).toBe(false);
    const shownTexts = () =>
      segments.shown().flatMap(({ connection }) => orderedMessages(connection.doc).map((entry) => entry.message.text));
    expect(shownTexts()).toEqual([1, 2, 3, 4, 5].map((i) => `old ${i}`));
    expect(fresh.send(id, 'new 1').ok).toBe(true);
    await whenChanged(fresh, () => fresh.pendingCount() === 0, 'a new message numbered in the old document');
    expect(orderedMessages(segments.root.doc).at(-1)?.seq).toBe(BOUND + 1);
    await fresh.closeAndDeleteLocalData();

    // Past the bound (small here), the old document closes as segment 0 after its next write, and the
    // conversation goes on in segment 1.
    await test.restart({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });
    const later = sessionOf(ann).session;
    const continued = later.segments(id);
    await whenChanged(continued, () => continued.root.state.synced, 'the old document synced');
    expect(later.send(id, 'new 2').ok).toBe(true);
    await whenChanged(continued, () => continued.newest === 1, 'segment 1 after the old document passed the bound');
    expect(later.send(id, 'new 3').ok).toBe(true);
    await whenChanged(later, () => later.pendingCount() === 0, 'the message in segment 1 numbered');
    expect(messagesOf(continued.writer().doc).size).toBe(1);
    await whenChanged(continued, () => continued.shown().length === 2, 'segments 1 and 0 shown');
    expect(continued.shown().map(({ segment }) => segment)).toEqual([1, 0]);
    const all = continued.shown().flatMap(({ connection }) => orderedMessages(connection.doc).map((entry) => entry.seq));
    expect(all.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

// The WebKit offline bug (docs/SEGMENTS.md): a segment synced before that holds no message of its own counted
// as not loaded offline (the rule was "its local copy holds messages"), and with it every segment before it.
describe('offline after a reload, a segment synced before but holding no message', () => {
  it('a first message sent before the list arrived (it went into conv/<id>) shows under an empty segment 1', async () => {
    const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ann, bob);
    const { session, storage } = sessionOf(ann);
    const segments = session.segments(id);
    // Sent at once, as a person who starts a chat and types: the list (segment 1) has not arrived yet.
    expect(segments.newest).toBe(0);
    expect(session.send(id, 'before the tunnel').ok).toBe(true);
    await whenChanged(session, () => session.pendingCount() === 0, 'the message numbered');
    await whenChanged(segments, () => segments.connectionOf(1)?.state.synced === true, 'segment 1 synced');
    expect(messagesOf(segments.root.doc).size).toBe(1);
    const newest = segments.connectionOf(1);
    if (!newest) throw new Error('segment 1 not open');
    // What makes a synced segment non-empty on the device: the server's copy of `meta`.
    await whenChanged(newest.doc, () => metaOf(newest.doc).size > 0, 'segment 1 holds the copy of meta');
    expect(messagesOf(newest.doc).size).toBe(0);
    await session.close();

    const offline = sessionOf(ann, { storage, url: await nobodyListening() }).session;
    const again = offline.segments(id);
    await whenChanged(again, () => again.shown().length === 2, 'segment 1 and conv/<id> shown offline');
    expect(again.root.state.synced).toBe(false);
    expect(shownTexts(again)).toEqual(['before the tunnel']);
  });

  it('the history before a newest segment just opened by a rollover shows', async () => {
    const [ann, bob] = [await createUser(test.server, 'Ann'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ann, bob);
    const { session, storage } = sessionOf(ann);
    const segments = session.segments(id);
    await whenChanged(segments, () => segments.newest === 1, 'segment 1, where a new conversation starts');
    for (let i = 1; i <= BOUND; i++) expect(session.send(id, `message ${i}`).ok).toBe(true);
    await whenChanged(session, () => session.pendingCount() === 0, 'the messages numbered');
    await whenChanged(segments, () => segments.newest === 2 && segments.connectionOf(2)?.state.synced === true, 'segment 2 synced');
    const newest = segments.connectionOf(2);
    if (!newest) throw new Error('segment 2 not open');
    await whenChanged(newest.doc, () => metaOf(newest.doc).size > 0, 'segment 2 holds the copy of meta');
    expect(messagesOf(newest.doc).size).toBe(0);
    await session.close();

    const offline = sessionOf(ann, { storage, url: await nobodyListening() }).session;
    const again = offline.segments(id);
    await whenChanged(again, () => again.shown().length === 1, 'the empty newest segment counts as loaded offline');
    // The list asks for the segment before when the newest holds less than a page.
    expect(again.hasOlder()).toBe(true);
    again.openOlder();
    // Segment 1, and `conv/<id>` (meta and the list only) before it: the beginning.
    await whenChanged(again, () => again.shown().length === 3, 'segment 1 shown offline');
    expect(again.hasOlder()).toBe(false);
    expect(shownTexts(again)).toEqual([1, 2, 3, 4, 5].map((i) => `message ${i}`));
  });
});
