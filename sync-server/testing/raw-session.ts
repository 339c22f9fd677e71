/**
 * A y-websocket peer written out by hand, for tests that must say exactly
 * which bytes reach the relay: attacks, fuzzing, offline replays. It keeps a
 * local Y.Doc in step with what the relay sends and can send any update or
 * raw frame. Honest tests use `openDoc` (the stock provider) instead.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { captureUpdate } from '../../shared/testing/update-capture.js';
import { decodeFrame, encodeSyncStep1, encodeSyncStep2, encodeUpdate, type Frame } from '../relay/frames.js';
import type { RunningServer } from '../server.js';
import type { TestUser } from './test-users.js';

const REMOTE = Symbol('from the relay');

export interface RawSession {
  readonly doc: Y.Doc;
  readonly socket: WebSocket;
  /** Resolves once the relay's answer to our step 1 is applied. */
  readonly synced: Promise<void>;
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly isOpen: boolean;
  /** Changes the local document and sends exactly the update that change produced; returns it. */
  write(change: (doc: Y.Doc) => void): Uint8Array;
  sendUpdate(update: Uint8Array): void;
  sendFrame(frame: Uint8Array): void;
  close(): void;
}

/** Opens `docName` as `user` and syncs a local copy (by default a fresh Y.Doc). */
export async function openRawSession(
  server: Pick<RunningServer, 'url'>,
  user: Pick<TestUser, 'cookie'>,
  docName: string,
  doc = new Y.Doc(),
): Promise<RawSession> {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${docName}`, { headers: { cookie: user.cookie } });
  let open = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => {
      open = false;
      resolve({ code, reason: reason.toString() });
    });
  });
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  socket.on('message', (data: Buffer) => {
    let frame: Frame;
    try {
      frame = decodeFrame(new Uint8Array(data));
    } catch {
      return;
    }
    if (frame.type === 'sync-step-1') {
      socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(doc, frame.stateVector)));
    } else if (frame.type === 'sync-step-2') {
      Y.applyUpdate(doc, frame.update, REMOTE);
      markSynced();
    } else if (frame.type === 'update') {
      Y.applyUpdate(doc, frame.update, REMOTE);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  open = true;
  socket.send(encodeSyncStep1(Y.encodeStateVector(doc)));
  const send = (frame: Uint8Array) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  };
  return {
    doc,
    socket,
    synced,
    closed,
    get isOpen() {
      return open;
    },
    write(change) {
      const update = captureUpdate(doc, () => doc.transact(() => change(doc)), REMOTE);
      send(encodeUpdate(update));
      return update;
    },
    sendUpdate: (update) => send(encodeUpdate(update)),
    sendFrame: send,
    close: () => socket.close(),
  };
}
