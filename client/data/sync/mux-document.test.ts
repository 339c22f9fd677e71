/**
 * One document on the shared socket, against a recording stand-in for the
 * socket (the real relay is in mux-provider.test.ts): what it sends on
 * subscribe and on the relay's step 1, and what it does after a `closed`.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeClosedMessage, MuxMessageType, readMuxFrame } from '../../../shared/mux-frames.js';
import { CloseCode, MessageType } from '../../../shared/protocol.js';
import { fakeTimeouts } from '../../testing/fake-timeouts.js';
import type { TransportClose } from './doc-transport.js';
import { MuxDocument, type MuxLine } from './mux-document.js';

afterEach(() => vi.useRealTimers());

function recordingLine(): MuxLine & { sent: Uint8Array[]; requests: number } {
  const line = {
    socket: {},
    isOpen: true,
    sent: [] as Uint8Array[],
    requests: 0,
    send: (frame: Uint8Array) => void line.sent.push(frame),
    request: (document: MuxDocument) => {
      line.requests++;
      document.subscribe();
    },
    dropSocket() {},
    forget() {},
  };
  return line;
}

function stepOneFrom(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

function open(line: MuxLine, final: (code: number) => boolean = (code) => code === CloseCode.forbidden) {
  const closes: TransportClose[] = [];
  const document = new MuxDocument(line, 'conv/c1', new Y.Doc(), { shouldReconnect: (event) => !final(event.code), maxBackoffMs: 5000 });
  document.listen({ status() {}, synced() {}, closed: (event) => void closes.push(event) });
  return { document, closes };
}

describe('MuxDocument', () => {
  it('subscribes with its state vector and answers the relay only when it holds something the relay lacks', () => {
    const line = recordingLine();
    const { document } = open(line);
    document.connect();
    expect(line.sent.map((frame) => readMuxFrame(frame).type)).toEqual([MuxMessageType.subscribe]);
    const relay = new Y.Doc();
    // Nothing to hand over: the relay's step 1 gets no answer (the presence greeting is sent, once).
    document.receive(MessageType.sync, stepOneFrom(relay));
    expect(line.sent.map((frame) => readMuxFrame(frame).type)).toEqual([MuxMessageType.subscribe, MessageType.awareness]);
    document.disconnect();
    document.doc.getMap('messages').set('m1', 'written offline');
    document.connect();
    document.receive(MessageType.sync, stepOneFrom(relay));
    const last = readMuxFrame(line.sent[line.sent.length - 1]);
    expect([last.type, last.message[1]]).toEqual([MessageType.sync, syncProtocol.messageYjsSyncStep2]);
  });

  it('comes back after its own backoff when the relay closed it with a code worth retrying', () => {
    fakeTimeouts();
    const line = recordingLine();
    const { document, closes } = open(line);
    document.connect();
    document.receive(MuxMessageType.closed, encodeClosedMessage(CloseCode.rateLimited, 'rate limited'));
    expect(closes).toEqual([{ code: CloseCode.rateLimited, reason: 'rate limited' }]);
    expect(document.connected).toBe(false);
    expect(line.requests).toBe(1);
    vi.runAllTimers();
    expect(line.requests).toBe(2);
    expect(document.ws).not.toBeNull();
  });

  it('comes back within 100 ms when the relay moved it (1013: its owner died), and backs off if that happens again', () => {
    fakeTimeouts();
    const line = recordingLine();
    const { document } = open(line);
    document.connect();
    document.receive(MuxMessageType.closed, encodeClosedMessage(CloseCode.tryAgainLater, 'document moved'));
    vi.advanceTimersByTime(100);
    expect(line.requests).toBe(2);
    // Refused again at once: not a tight loop, the usual backoff (400 ms at the second failed attempt).
    document.receive(MuxMessageType.closed, encodeClosedMessage(CloseCode.tryAgainLater, 'document moved'));
    vi.advanceTimersByTime(399);
    expect(line.requests).toBe(2);
    vi.advanceTimersByTime(1);
    expect(line.requests).toBe(3);
  });

  it('stays down after a final code, and after a lost socket waits for the socket instead of a timer of its own', () => {
    fakeTimeouts();
    const line = recordingLine();
    const { document, closes } = open(line);
    document.connect();
    document.receive(MuxMessageType.closed, encodeClosedMessage(CloseCode.forbidden, 'not a member'));
    vi.runAllTimers();
    expect(line.requests).toBe(1);
    expect(document.wantsConnection).toBe(false);
    expect(closes).toEqual([{ code: CloseCode.forbidden, reason: 'not a member' }]);

    document.connect();
    document.socketClosed({ code: 1006, reason: '' });
    expect(document.waitsForSocket).toBe(true);
    vi.runAllTimers();
    expect(line.requests).toBe(2);
  });
});

describe('MuxDocument waiting for the socket', () => {
  it('counts a failed socket as a failed attempt, and stops on a final code at the upgrade', () => {
    const line = { ...recordingLine(), isOpen: false, request() {} };
    const { document, closes } = open(line, (code) => code === CloseCode.unauthenticated);
    const statuses: string[] = [];
    document.listen({ status: (status) => void statuses.push(status), synced() {}, closed() {} });
    document.connect();
    document.socketConnecting();
    document.socketClosed({ code: 1006, reason: '' });
    expect(statuses).toEqual(['connecting']);
    expect(closes).toEqual([{ code: 1006, reason: '' }]);
    expect(document.wantsConnection).toBe(true);
    document.socketClosed({ code: CloseCode.unauthenticated, reason: 'not signed in' });
    expect(document.wantsConnection).toBe(false);
    // No longer waiting: later sockets do not concern it.
    document.socketClosed({ code: 1006, reason: '' });
    expect(closes).toHaveLength(2);
  });
});
