import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationsOf, messagesOf, seqOf, type ConversationSummary } from '../../../shared/schema.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { NodeWebSocket, startSilentRelay, type SilentRelay } from '../../testing/silent-relay.js';
import { storedDoc } from '../../testing/stored-doc.js';
import { waitFor } from '../../testing/wait-for.js';
import { ChatSession } from './chat-session.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { PendingIndex } from '../messages/pending-index.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { SearchStore, searchDatabaseName } from '../search/search-store.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const ann = { id: 'ann', name: 'Ann', email: 'ann@example.com' };

let relay: SilentRelay | undefined;
const sessions: ChatSession[] = [];

async function startSession(storage = memoryStorage()) {
  relay ??= await startSilentRelay();
  const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, quietSignals);
  const session = new ChatSession(ann, documents, new PendingIndex(ann.id, storage), () => true, new SetAsideStore(ann.id, storage));
  sessions.push(session);
  return { session, storage };
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.closeAndDeleteLocalData()));
  await relay?.close();
  relay = undefined;
});

describe('ChatSession', () => {
  it('counts my pending messages across open conversations until the server numbers them', async () => {
    const { session } = await startSession();
    await session.openConversation('c1').whenLocalLoaded;
    await session.openConversation('c2').whenLocalLoaded;
    const first = session.send('c1', 'hello');
    session.send('c2', 'hi there');
    expect(session.pendingCount()).toBe(2);
    expect(session.syncSummary().label).toMatch(/2 pending$/);
    if (!first.ok) throw new Error('not sent');
    seqOf(session.openConversation('c1').doc).set(first.message.id, 1); // as the server's sequencer would
    expect(session.pendingCount()).toBe(1);
  });

  it('sends a reply the same way, answering the message it quotes, and refuses empty text', async () => {
    const { session } = await startSession();
    const messages = messagesOf(session.openConversation('c4').doc);
    const first = session.send('c4', 'question');
    if (!first.ok) throw new Error('not sent');
    const reply = session.send('c4', ' answer ', first.message.id);
    if (!reply.ok) throw new Error('not sent');
    expect(messages.get(reply.message.id)).toMatchObject({ text: 'answer', replyTo: first.message.id });
    expect(session.send('c4', '  ', first.message.id)).toMatchObject({ ok: false, reason: 'empty' });
    expect(messages.size).toBe(2);
  });

  it('reopens conversations with undelivered messages on the next start', async () => {
    const { session, storage } = await startSession();
    await session.openConversation('c9').whenLocalLoaded;
    session.send('c9', 'written offline');
    await session.close(); // keeps local data, like closing the tab
    sessions.splice(sessions.indexOf(session), 1);

    const { session: next } = await startSession(storage);
    const connection = next.openConversation('c9');
    await connection.whenLocalLoaded;
    await waitFor(() => next.pendingCount() === 1);
    expect([...new PendingIndex(ann.id, storage).conversationIds()]).toEqual(['c9']);
  });

  it('deletes every local document on sign-out', async () => {
    const { session } = await startSession();
    await session.openConversation('c3').whenLocalLoaded;
    const sent = session.send('c3', 'private');
    if (!sent.ok) throw new Error('not sent');
    // Stored before signing out (the read waits for IndexedDB's write), so there is something to delete.
    expect(messagesOf(await storedDoc('conv/c3')).has(sent.message.id)).toBe(true);
    await session.closeAndDeleteLocalData();
    const names = (await indexedDB.databases()).map((db) => db.name);
    expect(names).not.toContain('conv/c3');
    expect(names).not.toContain('user/ann');
  });

  it('deletes the search index on sign-out, even when search was not opened in this session', async () => {
    // Left by an earlier visit.
    const earlier = new SearchStore(ann.id);
    await earlier.save('c1', { version: 1, index: '{}', indexed: {} });
    await earlier.close();
    expect((await indexedDB.databases()).map((db) => db.name)).toContain(searchDatabaseName(ann.id));
    const { session } = await startSession();
    await session.closeAndDeleteLocalData();
    expect((await indexedDB.databases()).map((db) => db.name)).not.toContain(searchDatabaseName(ann.id));
  });

  it("says 'list' when its list of conversations changes, not when documents open or close (issue 12)", async () => {
    const { session } = await startSession();
    let lists = 0;
    let changes = 0;
    session.addEventListener('list', () => lists++);
    // Once its heads are read, the list is told it can be drawn (conversation-list.ts draws nothing before).
    expect(session.heads.loaded).toBe(false);
    await session.heads.whenLoaded();
    expect(session.heads.loaded).toBe(true);
    expect(lists).toBe(1);
    lists = 0;
    session.addEventListener('change', () => changes++);
    // Background sync opens and closes conversations: the session changes, its list does not.
    await session.openConversation('c5').whenLocalLoaded;
    expect(changes).toBeGreaterThan(0);
    expect(lists).toBe(0);
    conversationsOf(session.userDoc.doc).set('c6', {
      id: 'c6',
      kind: 'group',
      title: 'New group',
      createdAt: Date.now(),
    } as ConversationSummary);
    expect(lists).toBe(1);
    expect(session.conversations().map((c) => c.id)).toContain('c6');
  });
});
