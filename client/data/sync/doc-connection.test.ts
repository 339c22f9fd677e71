import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { fakeTimeouts, opensSocketWhenTimeoutsRun } from '../../testing/fake-timeouts.js';
import { NodeWebSocket, startSilentRelay, type SilentRelay } from '../../testing/silent-relay.js';
import { storedDoc } from '../../testing/stored-doc.js';
import { waitFor } from '../../testing/wait-for.js';
import { DocConnection } from './doc-connection.js';
import { OpenDocuments, type NetworkSignals } from './open-documents.js';

let relay: SilentRelay | undefined;
const open: DocConnection[] = [];

function connect(name: string, wsBase: string): DocConnection {
  const connection = new DocConnection(name, { wsBase, WebSocketPolyfill: NodeWebSocket });
  open.push(connection);
  return connection;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((c) => c.destroyAndClear()));
  await relay?.close();
  relay = undefined;
});

describe('DocConnection', () => {
  it('stops for good when the relay closes with 4401, and says so', async () => {
    fakeTimeouts();
    relay = await startSilentRelay((c) => c.socket.close(CloseCode.unauthenticated, 'unauthenticated'));
    const connection = connect('conv/a', relay.wsBase);
    await waitFor(() => connection.state.phase === 'stopped');
    expect(connection.state.stopCode).toBe(CloseCode.unauthenticated);
    // The whole backoff runs out at once: no reconnect may open a socket.
    expect(opensSocketWhenTimeoutsRun(connection.provider)).toBe(false);
    expect(relay.connections).toHaveLength(1);
    // Network events do not revive it; only the person signing in again does.
    connection.reconnectNow();
    expect(opensSocketWhenTimeoutsRun(connection.provider)).toBe(false);
    connection.resume();
    await waitFor(() => relay?.connections.length === 2);
  });

  it('stops on 4403 too', async () => {
    relay = await startSilentRelay((c) => c.socket.close(CloseCode.forbidden, 'forbidden'));
    const connection = connect('conv/b', relay.wsBase);
    await waitFor(() => connection.state.phase === 'stopped');
    expect(connection.state.stopCode).toBe(CloseCode.forbidden);
  });

  it('firstSynced rejects when the relay stops the document before its first answer, or when none came in timeoutMs', async () => {
    relay = await startSilentRelay((c) => {
      if (c.path.endsWith('conv/refused')) c.socket.close(CloseCode.forbidden, 'forbidden');
    });
    const refused = connect('conv/refused', relay.wsBase);
    await expect(refused.firstSynced()).rejects.toThrow(`stopped with ${CloseCode.forbidden}`);
    const unanswered = connect('conv/unanswered', relay.wsBase);
    await expect(unanswered.firstSynced({ timeoutMs: 200 })).rejects.toThrow('not synced after 200 ms');
    expect(unanswered.state.phase).not.toBe('stopped');
  });

  it('keeps reconnecting after 4429 (rate limited)', async () => {
    relay = await startSilentRelay((c) => c.socket.close(CloseCode.rateLimited, 'slow down'));
    const connection = connect('conv/c', relay.wsBase);
    await waitFor(() => (relay?.connections.length ?? 0) >= 3);
    expect(connection.state.phase).not.toBe('stopped');
  });

  it('connects to /sync/<docName>', async () => {
    relay = await startSilentRelay();
    connect('conv/d', relay.wsBase);
    await waitFor(() => relay?.connections.length === 1);
    expect(relay.connections[0]?.path).toBe('/sync/conv/d');
  });

  it('loads the local copy before connecting, so its first frame names what it has', async () => {
    relay = await startSilentRelay();
    const first = connect('conv/e', relay.wsBase);
    await first.whenLocalLoaded;
    messagesOf(first.doc).set('m1', { id: 'm1', author: 'u1', kind: 'text', text: 'offline', createdAt: 1 });
    // y-indexeddb writes asynchronously: the read waits for that write.
    expect(messagesOf(await storedDoc('conv/e')).get('m1')?.text).toBe('offline');
    await first.destroy();
    open.splice(open.indexOf(first), 1);
    await waitFor(() => relay?.connections.length === 1);

    const second = connect('conv/e', relay.wsBase);
    await waitFor(() => relay?.connections.length === 2 && (relay.connections[1]?.frames.length ?? 0) > 0);
    expect(messagesOf(second.doc).get('m1')?.text).toBe('offline');
    const frame = relay.connections[1]?.frames[0];
    if (!frame) throw new Error('no frame');
    const decoder = decoding.createDecoder(frame);
    expect(decoding.readVarUint(decoder)).toBe(0); // sync
    expect(decoding.readVarUint(decoder)).toBe(0); // step 1
    const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    expect(stateVector.size).toBeGreaterThan(0);
  });
});

describe('OpenDocuments', () => {
  function fakeSignals() {
    const listeners = new Map<string, Set<() => void>>();
    const signals: NetworkSignals & { fire(type: string): void } = {
      addEventListener: (type, listener) => {
        if (!listeners.has(type)) listeners.set(type, new Set());
        listeners.get(type)?.add(listener);
      },
      removeEventListener: (type, listener) => void listeners.get(type)?.delete(listener),
      isVisible: () => true,
      fire: (type) => listeners.get(type)?.forEach((listener) => listener()),
    };
    return signals;
  }

  it('opens each document once', async () => {
    relay = await startSilentRelay();
    const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, fakeSignals());
    expect(documents.open('user/u1')).toBe(documents.open('user/u1'));
    expect(documents.all()).toHaveLength(1);
    await documents.destroyAndClear();
  });

  it('reconnects at once when the network comes back instead of waiting out the backoff', async () => {
    // The backoff's timeout never runs by itself here, so only the online event can open the next socket.
    // (It used to be real time with 300 ms to reconnect in, which a loaded machine can take for a loopback socket.)
    fakeTimeouts();
    let refuse = true;
    relay = await startSilentRelay((c) => {
      if (refuse) c.socket.close(1011, 'down');
    });
    const signals = fakeSignals();
    const documents = new OpenDocuments({ wsBase: relay.wsBase, WebSocketPolyfill: NodeWebSocket }, signals);
    const connection = documents.open('conv/f');
    await waitFor(() => connection.state.failedAttempts >= 1 && connection.provider.ws === null, 5000, 'a refused attempt');
    refuse = false;
    const before = relay.connections.length;
    signals.fire('online');
    await waitFor(() => (relay?.connections.length ?? 0) > before, 5000, 'a socket opened on the online event');
    await documents.destroyAndClear();
  });
});
