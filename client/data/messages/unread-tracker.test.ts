import 'fake-indexeddb/auto';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Head } from '../../../shared/heads.js';
import { conversationsOf, headsOf, readsOf, segmentsOf, seqOf, type ConversationSummary } from '../../../shared/schema.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { NodeWebSocket, startSilentRelay, type RecordedConnection, type SilentRelay } from '../../testing/silent-relay.js';
import { waitFor, whenChanged } from '../../testing/wait-for.js';
import { ChatSession } from '../session/chat-session.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { PendingIndex } from './pending-index.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { UnreadTracker } from './unread-tracker.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const ann = { id: 'ann', name: 'Ann', email: 'ann@example.com' };

let relay: SilentRelay | undefined;
const sessions: ChatSession[] = [];

/** A relay that answers each sync with an empty step 2, so the documents count as synced. */
function answerSync(connection: RecordedConnection): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep2(encoder, new Y.Doc());
  connection.socket.send(encoding.toUint8Array(encoder));
}

async function startSession(): Promise<{ session: ChatSession; documents: OpenDocuments }> {
  relay ??= await startSilentRelay(answerSync);
  const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, quietSignals);
  const storage = memoryStorage();
  const session = new ChatSession(ann, documents, new PendingIndex(ann.id, storage), () => true, new SetAsideStore(ann.id, storage));
  sessions.push(session);
  return { session, documents };
}

/** The server's side, played here: `count` conversations listed, each with a head (the relay is not ours). */
function listConversations(session: ChatSession, count: number, head: (i: number) => Partial<Head> = () => ({})): void {
  session.userDoc.doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const summary: ConversationSummary = { id: `c${i}`, kind: 'direct', title: `Friend ${i}`, createdAt: 1_700_000_000_000 + i };
      conversationsOf(session.userDoc.doc).set(summary.id, summary);
      headsOf(session.userDoc.doc).set(summary.id, {
        seq: 3,
        at: 1_700_000_000_000 + i,
        author: 'bob',
        kind: 'text',
        preview: `hi ${i}`,
        readSeq: 1,
        ...head(i),
      });
    }
  });
}

function setHead(session: ChatSession, id: string, head: Partial<Head>): void {
  const before = headsOf(session.userDoc.doc).get(id);
  if (!before) throw new Error(`no head for ${id}`);
  headsOf(session.userDoc.doc).set(id, { ...before, ...head });
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.closeAndDeleteLocalData()));
  await relay?.close();
  relay = undefined;
});

describe('UnreadTracker', () => {
  // Issue 12: it opened every listed conversation's document (a socket each); past ~255 the browser refused more.
  it('counts every listed conversation from its head and opens no conversation document', async () => {
    const { session, documents } = await startSession();
    const count = 300;
    listConversations(session, count, (i) => ({ seq: i % 5, readSeq: 0 }));
    const tracker = new UnreadTracker(session);
    for (let i = 0; i < count; i++) expect(tracker.count(`c${i}`), `c${i}`).toBe(i % 5);
    expect(tracker.total()).toBe((count / 5) * (0 + 1 + 2 + 3 + 4));
    for (let i = 0; i < count; i++) expect(documents.get(`conv/c${i}`), `c${i}`).toBeUndefined();
    tracker.close();
  });

  it('follows heads as they change, and conversations listed after it started; an ended one counts nothing', async () => {
    const { session } = await startSession();
    const tracker = new UnreadTracker(session);
    let changes = 0;
    tracker.addEventListener('change', () => changes++);
    listConversations(session, 3);
    expect(tracker.total()).toBe(6);
    setHead(session, 'c1', { seq: 10, readSeq: 4 });
    expect(tracker.count('c1')).toBe(6);
    setHead(session, 'c1', { readSeq: 10 });
    expect(tracker.count('c1')).toBe(0);
    const summary = conversationsOf(session.userDoc.doc).get('c2');
    if (!summary) throw new Error('c2 not listed');
    conversationsOf(session.userDoc.doc).set('c2', { ...summary, ended: 'removed' });
    expect(tracker.count('c2')).toBe(0);
    expect(tracker.total()).toBe(2);
    expect(changes).toBeGreaterThanOrEqual(4);
    tracker.close();
  });

  it('a conversation open on this device counts what its replica knows before the head follows', async () => {
    const { session } = await startSession();
    listConversations(session, 1, () => ({ seq: 3, readSeq: 0 }));
    const tracker = new UnreadTracker(session);
    expect(tracker.count('c0')).toBe(3);
    const { doc } = session.openConversation('c0');
    // Read here: the head's readSeq comes later, from the server.
    readsOf(doc).set(ann.id, 3);
    await whenChanged(tracker, () => tracker.count('c0') === 0, 'the local read marker');
    // Numbered here before the coalesced head arrives.
    seqOf(doc).set('m4', 4);
    seqOf(doc).set('m5', 5);
    expect(tracker.count('c0')).toBe(2);
    tracker.close();
  });

  // Issue 13: it read `conv/<id>` only, while numbers and read markers live in the newest segment.
  it('a conversation open in history segments counts what its newest segment knows before the head follows', async () => {
    const { session } = await startSession();
    listConversations(session, 1, () => ({ seq: 3, readSeq: 0 }));
    const tracker = new UnreadTracker(session);
    const segments = session.segments('c0');
    // The server's list, played here: the conversation continues in segment 2 from number 3.
    segmentsOf(segments.root.doc).set('2', { firstSeq: 3, openedAt: 1_700_000_000_000 });
    await whenChanged(segments, () => segments.newest === 2, 'the newest segment opened');
    const { doc } = segments.writer();
    readsOf(doc).set(ann.id, 3);
    await whenChanged(tracker, () => tracker.count('c0') === 0, 'the read marker in the newest segment');
    seqOf(doc).set('m4', 4);
    seqOf(doc).set('m5', 5);
    expect(tracker.count('c0')).toBe(2);
    expect(tracker.total()).toBe(2);
    tracker.close();
  });

  it("tells of a new head by someone else once the list is synced, not of one's own", async () => {
    const { session } = await startSession();
    listConversations(session, 2);
    const tracker = new UnreadTracker(session);
    const told: Array<[string, string]> = [];
    tracker.onNewMessage((id, head) => void told.push([id, head.preview]));
    await waitFor(() => session.userDoc.state.synced, 3000, 'the user document synced');
    setHead(session, 'c0', { seq: 4, author: 'bob', preview: 'news' });
    setHead(session, 'c1', { seq: 4, author: ann.id, preview: 'mine', readSeq: 4 });
    expect(told).toEqual([['c0', 'news']]);
    tracker.close();
  });
});
