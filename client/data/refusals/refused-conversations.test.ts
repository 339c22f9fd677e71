/**
 * The way back from a refused replica, end to end in the data layer: a real
 * WebSocket server that syncs and refuses like the relay's validator, real
 * y-websocket providers, y-indexeddb on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { CloseCode, describeCloseCode } from '../../../shared/protocol.js';
import { messagesOf, type Message } from '../../../shared/schema.js';
import { seqIndexOf } from '../../../shared/seq-index.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { fakeTimeouts, opensSocketWhenTimeoutsRun } from '../../testing/fake-timeouts.js';
import { startRefusingRelay, type RefusingRelay } from '../../testing/refusing-relay.js';
import { NodeWebSocket } from '../../testing/silent-relay.js';
import { waitFor } from '../../testing/wait-for.js';
import { ChatSession } from '../session/chat-session.js';
import { MESSAGE_TOO_BIG } from '../sync/connection-state.js';
import { refusalReason } from './refused-conversations.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { PendingIndex } from '../messages/pending-index.js';
import { SetAsideStore } from './set-aside-store.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };
const ann = { id: 'ann', name: 'Ann', email: 'ann@example.com' };
const conv = 'conv/c1';

/** The validator's author rule: every message is written by a member under their own name (here: Ann's connection). */
function authorRule(doc: Y.Doc): string | null {
  let forged = false;
  messagesOf(doc).forEach((message) => {
    if (message.author !== 'ann' && message.author !== 'bob') forged = true;
  });
  return forged ? 'refused: author' : null;
}

let relay: RefusingRelay | undefined;
const sessions: ChatSession[] = [];

async function startSession(storage = memoryStorage()) {
  relay ??= await startRefusingRelay(authorRule);
  const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, quietSignals);
  const session = new ChatSession(ann, documents, new PendingIndex(ann.id, storage), () => true, new SetAsideStore(ann.id, storage));
  sessions.push(session);
  return { session, storage };
}

/** Stops a session like closing the tab: local data stays. */
async function closeTab(session: ChatSession) {
  await session.close();
  sessions.splice(sessions.indexOf(session), 1);
}

function forge(doc: Y.Doc): Message {
  return writeMessage(doc, 'mallory', 'not from ann');
}

/** Ann writes a message and a forged one before her replica first connects: the relay refuses both. */
async function refusedConversation() {
  const started = await startSession();
  const { session } = started;
  const connection = session.openConversation('c1');
  await connection.whenLocalLoaded;
  // Written before the provider's first sync goes out (it connects right after the local load).
  const sent = session.send('c1', 'legit');
  if (!sent.ok) throw new Error('not sent');
  const forged = forge(connection.doc);
  await waitFor(() => session.recoveryOf('c1')?.phase === 'refused');
  return { ...started, connection, message: sent.message, forged };
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.closeAndDeleteLocalData()));
  await relay?.close();
  relay = undefined;
});

describe('a conversation the relay refused', () => {
  it('stops reconnecting and shows my pending messages failed with the reason', async () => {
    fakeTimeouts();
    const { session, connection, message } = await refusedConversation();
    const recovery = session.recoveryOf('c1');
    expect(recovery?.reason).toBe('refused: author');
    expect(recovery?.messages.map((e) => [e.message.id, e.retry])).toEqual([[message.id, false]]);
    expect(session.pendingCount()).toBe(0);
    expect(session.failedCount()).toBe(1);
    expect(session.syncSummary().label).toMatch(/1 not sent$/);
    // The whole backoff runs out at once: no reconnect may open a socket.
    expect(opensSocketWhenTimeoutsRun(connection.provider)).toBe(false);
    expect(relay?.connectionCount(conv)).toBe(1);
    expect(relay?.doc(conv).getMap('messages').size).toBe(0);
  });

  it('retry drops the local copy, resyncs and writes the message again under its id, once', async () => {
    const { session, message, forged } = await refusedConversation();
    messagesOf(relay?.doc(conv) ?? fail()).set('b1', { id: 'b1', author: 'bob', kind: 'text', text: 'meanwhile', createdAt: 1 });
    session.retryMessage('c1', message.id);
    await waitFor(() => seqIndexOf(relay?.doc(conv) ?? fail()).has(message.id));
    await waitFor(() => session.recoveryOf('c1') === undefined);
    const fresh = session.openConversation('c1');
    await waitFor(() => seqIndexOf(fresh.doc).has(message.id));
    // The forged message went with the dropped copy; Bob's arrived with the resync; Ann's is there once.
    expect([...messagesOf(fresh.doc).keys()].sort()).toEqual(['b1', message.id].sort());
    expect(messagesOf(fresh.doc).get(message.id)).toEqual(message);
    expect(relay?.doc(conv).getMap('messages').has(forged.id)).toBe(false);
    expect(session.pendingCount()).toBe(0);
    expect(session.failedCount()).toBe(0);
    expect(fresh.state.phase).toBe('connected');
  });

  it('a reload while refused keeps the set-aside messages and does not reconnect the refused copy', async () => {
    fakeTimeouts();
    const { session, storage, message } = await refusedConversation();
    await closeTab(session);
    const { session: next } = await startSession(storage);
    expect(next.recoveryOf('c1')?.messages.map((e) => e.message.id)).toEqual([message.id]);
    const reopened = next.openConversation('c1');
    // It would connect right after loading the local copy, or once a timeout ran out: neither opens a socket.
    await reopened.whenLocalLoaded;
    expect(opensSocketWhenTimeoutsRun(reopened.provider)).toBe(false);
    expect(relay?.connectionCount(conv)).toBe(1);
    next.retryMessage('c1', message.id);
    await waitFor(() => seqIndexOf(relay?.doc(conv) ?? fail()).has(message.id));
    await waitFor(() => next.recoveryOf('c1') === undefined);
  });

  it('a reload in the middle of the recovery finishes it with nothing lost', async () => {
    const { session, storage, message } = await refusedConversation();
    relay?.refuseConnections(1013); // the fresh copy cannot sync yet
    session.retryMessage('c1', message.id);
    await waitFor(() => session.recoveryOf('c1')?.phase === 'resyncing');
    await closeTab(session);
    relay?.refuseConnections(null);
    const { session: next } = await startSession(storage);
    expect(next.recoveryOf('c1')?.messages.map((e) => [e.message.id, e.retry])).toEqual([[message.id, true]]);
    await waitFor(() => seqIndexOf(relay?.doc(conv) ?? fail()).has(message.id), 5000);
    await waitFor(() => next.recoveryOf('c1') === undefined);
  });

  it('discard gives the message up and the conversation syncs again without it', async () => {
    const { session, message } = await refusedConversation();
    messagesOf(relay?.doc(conv) ?? fail()).set('b1', { id: 'b1', author: 'bob', kind: 'text', text: 'still here', createdAt: 1 });
    session.discardMessage('c1', message.id);
    await waitFor(() => session.recoveryOf('c1') === undefined);
    const fresh = session.openConversation('c1');
    await waitFor(() => fresh.state.synced && messagesOf(fresh.doc).has('b1'));
    // Had the discarded message gone out again with the resync, it would reach the relay before this later one.
    const marker = session.send('c1', 'marker');
    if (!marker.ok) throw new Error('not sent');
    await waitFor(() => seqIndexOf(relay?.doc(conv) ?? fail()).has(marker.message.id));
    expect(relay?.doc(conv).getMap('messages').has(message.id)).toBe(false);
    expect([...messagesOf(fresh.doc).keys()].sort()).toEqual(['b1', marker.message.id].sort());
  });

  it('a message written while refused is sent after the resync', async () => {
    const { session, message } = await refusedConversation();
    const later = session.send('c1', 'written after the refusal');
    if (!later.ok) throw new Error('not sent');
    await waitFor(() => seqIndexOf(relay?.doc(conv) ?? fail()).has(later.message.id));
    // The failed one stays failed until the person says.
    expect(session.recoveryOf('c1')?.messages.map((e) => [e.message.id, e.retry])).toEqual([[message.id, false]]);
    expect(relay?.doc(conv).getMap('messages').has(message.id)).toBe(false);
  });
});

describe('a session that ended', () => {
  it('holds every connection until the same person signs in again', async () => {
    fakeTimeouts();
    const { session } = await startSession();
    const connection = session.openConversation('c2');
    await waitFor(() => connection.state.synced && session.userDoc.state.synced);
    session.send('c2', 'hello');
    await waitFor(() => seqIndexOf(relay?.doc('conv/c2') ?? fail()).size === 1);
    relay?.refuseConnections(CloseCode.unauthenticated);
    relay?.closeAll('user/ann', CloseCode.unauthenticated, 'signed out');
    await waitFor(() => session.sessionEnded());
    // The conversation's socket was fine, but it must not reconnect with whoever signs in next.
    expect(connection.state).toMatchObject({ phase: 'stopped', stopCode: CloseCode.unauthenticated });
    const before = relay?.connectionCount('conv/c2');
    // The whole backoff runs out at once: no reconnect may open a socket.
    expect(opensSocketWhenTimeoutsRun(connection.provider)).toBe(false);
    expect(relay?.connectionCount('conv/c2')).toBe(before);
    relay?.refuseConnections(null);
    // Regression: resuming the first connection used to hold the others again (they still said "session ended").
    session.resume();
    await waitFor(() => connection.state.synced && session.userDoc.state.synced);
  });
});

function fail(): never {
  throw new Error('no relay');
}

describe('refusalReason', () => {
  it('says "too big for the server" for a frame over the limit, whatever reason the relay gave', () => {
    expect(refusalReason(MESSAGE_TOO_BIG, 'frame too large for its type')).toBe('too big for the server');
    expect(refusalReason(MESSAGE_TOO_BIG, '')).toBe('too big for the server');
    expect(refusalReason(CloseCode.invalidUpdate, 'refused: forged-author')).toBe('refused: forged-author');
    expect(refusalReason(CloseCode.invalidUpdate, '')).toBe(describeCloseCode(CloseCode.invalidUpdate));
  });
});
