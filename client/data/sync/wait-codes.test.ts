/**
 * Issue 20: the relay closes with 4413 (write quota or conversation budget
 * used up) or 4507 (its disk is full) and stores nothing. Both are
 * temporary: my unsent messages stay pending (never failed or refused), the
 * sync status says why, and the connection comes back after a backoff of its
 * own, not the stock provider's ~100 ms loop. Real sockets to a relay that
 * syncs like ours, y-indexeddb on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, describeCloseCode } from '../../../shared/protocol.js';
import { fakeTimeouts } from '../../testing/fake-timeouts.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { startRefusingRelay, type RefusingRelay } from '../../testing/refusing-relay.js';
import { NodeWebSocket } from '../../testing/silent-relay.js';
import { waitFor } from '../../testing/wait-for.js';
import { ChatSession } from '../session/chat-session.js';
import { WAIT_MAX_DELAY_MS, WAIT_MIN_DELAY_MS } from './connection-state.js';
import { OpenDocuments, type NetworkSignals } from './open-documents.js';
import { PendingIndex } from '../messages/pending-index.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const ann = { id: 'ann', name: 'Ann', email: 'ann@example.com' };

let relay: RefusingRelay | undefined;
const sessions: ChatSession[] = [];
/** While true, the relay closes with 4413 on any update, as the write quota does. */
let overQuota = false;

async function startSession(): Promise<ChatSession> {
  relay ??= await startRefusingRelay(() => (overQuota ? { code: CloseCode.quotaExceeded, reason: 'write-quota' } : null));
  const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, quietSignals);
  const storage = memoryStorage();
  const session = new ChatSession(ann, documents, new PendingIndex(ann.id, storage), () => true, new SetAsideStore(ann.id, storage));
  sessions.push(session);
  return session;
}

afterEach(async () => {
  vi.useRealTimers();
  overQuota = false;
  await Promise.all(sessions.splice(0).map((s) => s.closeAndDeleteLocalData()));
  await relay?.close();
  relay = undefined;
});

/** My one message is pending, nothing failed or refused, and the status says why we wait. */
function expectWaitingWithPending(session: ChatSession, code: number): void {
  expect(session.pendingCount()).toBe(1);
  expect(session.failedCount()).toBe(0);
  expect(session.recoveryOf('c1')).toBeUndefined();
  expect(session.syncSummary()).toMatchObject({ status: 'waiting', pending: 1, failed: 0, notice: describeCloseCode(code) });
}

/**
 * Waits until the relay turned away every document of the session (its list
 * and the conversation) `times` times and each socket is closed: each has set
 * its backoff, so the fake timeouts run next reach all of them.
 */
async function turnedAway(session: ChatSession, times: number, what: string): Promise<void> {
  const documents = [session.userDoc, session.openConversation('c1')];
  await waitFor(() => documents.every((d) => relay?.connectionCount(d.name) === times && d.provider.ws === null), 5000, what);
}

/** Runs timeouts just short of the first wait: no socket may open; then past the longest: one opens. */
function expectBackoffThenReconnect(session: ChatSession): void {
  const { provider } = session.openConversation('c1');
  vi.advanceTimersByTime(WAIT_MIN_DELAY_MS - 1);
  expect(provider.ws).toBeNull();
  vi.advanceTimersByTime(WAIT_MAX_DELAY_MS * 1.25);
  expect(provider.ws).not.toBeNull();
}

describe('a relay that asks the device to wait', () => {
  it('4413 (quota): my message stays pending, the status says why, and it is sent after the backoff', async () => {
    fakeTimeouts();
    const session = await startSession();
    const connection = session.openConversation('c1');
    await waitFor(() => connection.state.synced, 5000, 'the first sync');
    const relayClient = relay?.doc('conv/c1').clientID;
    overQuota = true;
    const sent = session.send('c1', 'one too many');
    if (!sent.ok) throw new Error('not sent');
    await waitFor(() => connection.state.waitCode === CloseCode.quotaExceeded, 5000, 'the 4413 close');
    expect(connection.state.phase).toBe('disconnected');
    expectWaitingWithPending(session, CloseCode.quotaExceeded);

    overQuota = false;
    expectBackoffThenReconnect(session);
    await waitFor(() => session.pendingCount() === 0, 5000, 'the message delivered');
    expect(relay?.doc('conv/c1').getMap('seq').has(sent.message.id)).toBe(true);
    // The test relay numbered it in the client's transaction without Yjs taking that for a clash of client ids.
    expect(relay?.doc('conv/c1').clientID).toBe(relayClient);
    expect(session.syncSummary()).toEqual({ status: 'online', pending: 0, failed: 0, label: 'Online' });
  });

  it('4507 (disk full) at every connect: the message stays pending through several waits, then is sent', async () => {
    fakeTimeouts();
    const session = await startSession();
    relay?.refuseConnections(CloseCode.storageUnavailable);
    const connection = session.openConversation('c1');
    await connection.whenLocalLoaded;
    session.send('c1', 'written while the disk is full');
    await turnedAway(session, 1, 'the 4507 closes');
    expect(connection.state.waitCode).toBe(CloseCode.storageUnavailable);
    expectWaitingWithPending(session, CloseCode.storageUnavailable);
    // Turned away again: still waiting, still pending, never stopped.
    expectBackoffThenReconnect(session);
    await turnedAway(session, 2, 'the second 4507 closes');
    expect(connection.state.phase).toBe('disconnected');
    expectWaitingWithPending(session, CloseCode.storageUnavailable);

    relay?.refuseConnections(null);
    expectBackoffThenReconnect(session);
    await waitFor(() => session.pendingCount() === 0, 5000, 'the message delivered');
    // The list's document reconnected by the same timeouts; it may sync a moment after the conversation (it used to be asserted at once, and was "waiting" one run in seven).
    await waitFor(() => session.syncSummary().status === 'online', 5000, 'every document synced again');
  });
});
