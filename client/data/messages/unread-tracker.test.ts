import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationsOf, type ConversationSummary } from '../../../shared/schema.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { NodeWebSocket, startSilentRelay, type SilentRelay } from '../../testing/silent-relay.js';
import { ChatSession } from '../session/chat-session.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { PendingIndex } from './pending-index.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { UnreadTracker } from './unread-tracker.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const ann = { id: 'ann', name: 'Ann', email: 'ann@example.com' };

let relay: SilentRelay | undefined;
const sessions: ChatSession[] = [];

async function startSession(): Promise<{ session: ChatSession; documents: OpenDocuments }> {
  relay ??= await startSilentRelay();
  const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, quietSignals);
  const storage = memoryStorage();
  const session = new ChatSession(ann, documents, new PendingIndex(ann.id, storage), () => true, new SetAsideStore(ann.id, storage));
  sessions.push(session);
  return { session, documents };
}

function listConversations(session: ChatSession, count: number): void {
  session.userDoc.doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const summary: ConversationSummary = { id: `c${i}`, kind: 'direct', title: `Friend ${i}`, createdAt: 1_700_000_000_000 + i };
      conversationsOf(session.userDoc.doc).set(summary.id, summary);
    }
  });
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.closeAndDeleteLocalData()));
  await relay?.close();
  relay = undefined;
});

describe('UnreadTracker', () => {
  // Issue 20: each open made the open documents, then the session, say "change", and the tracker followed again from inside the open.
  it('opens every listed conversation without nesting one open inside the next (the stack overflowed at ~100)', async () => {
    const { session, documents } = await startSession();
    const count = 150;
    listConversations(session, count);
    let deepest = 0;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    const measure = () => (deepest = Math.max(deepest, (new Error().stack ?? '').split('\n').length));
    session.addEventListener('change', measure);
    try {
      const tracker = new UnreadTracker(session);
      expect(tracker.total()).toBe(0);
    } finally {
      Error.stackTraceLimit = limit;
      session.removeEventListener('change', measure);
    }
    // The tracker opened them all (the test opens none).
    for (let i = 0; i < count; i++) expect(documents.get(`conv/c${i}`), `c${i}`).toBeDefined();
    // A few dozen frames whatever the count: far from the thousands a nested open per conversation takes.
    expect(deepest).toBeLessThan(200);
  });

  it('follows conversations listed after it started', async () => {
    const { session, documents } = await startSession();
    const tracker = new UnreadTracker(session);
    expect(documents.get('conv/c0')).toBeUndefined();
    listConversations(session, 3);
    for (const id of ['c0', 'c1', 'c2']) expect(documents.get(`conv/${id}`), id).toBeDefined();
    tracker.close();
  });
});
