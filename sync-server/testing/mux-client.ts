/**
 * A bare multiplexed socket to the relay's `/mux` (docs/PROTOCOL.md), for
 * tests that attack the framing or check what one document's refusal does
 * to the others. Subscribed documents are synced into Y.Docs with
 * y-protocols, so a test can check that they keep syncing.
 */
import { EventEmitter } from 'node:events';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  encodeSubscribe,
  encodeUnsubscribe,
  joinMuxFrame,
  MUX_PATH,
  muxPrefix,
  MuxMessageType,
  readClosed,
  readMuxFrame,
} from '../../shared/mux-frames.js';
import { MessageType } from '../../shared/protocol.js';
import type { RunningServer } from '../server.js';

export interface DocClosed {
  code: number;
  reason: string;
}

export class MuxTestClient extends EventEmitter {
  readonly ws: WebSocket;
  readonly docs = new Map<string, Y.Doc>();
  /** Every `closed` the relay sent, per document, in order. */
  readonly closedDocs = new Map<string, DocClosed[]>();
  /** How many `closed` messages arrived, over all documents. */
  closedCount = 0;
  /** Documents whose relay's sync step 2 has arrived (at least once). */
  readonly syncedDocs = new Set<string>();
  /** Bytes of every frame sent and received (payloads; no compression is negotiated). */
  bytesSent = 0;
  bytesReceived = 0;
  /** Frames received per document (any type). */
  readonly frameCounts = new Map<string, number>();
  /** Every frame received, with the document it was for (bounded by the test's own traffic). */
  readonly frames: Array<{ docName: string; message: Uint8Array }> = [];
  readonly opened: Promise<void>;
  readonly socketClosed: Promise<DocClosed>;

  constructor(server: Pick<RunningServer, 'url'>, headers: Record<string, string>) {
    super();
    this.ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${MUX_PATH}`, { headers, perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.socketClosed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
  }

  /** Subscribes to `docName`, syncing it into `doc` from then on. */
  subscribe(docName: string, doc = new Y.Doc()): Y.Doc {
    this.docs.set(docName, doc);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this || this.ws.readyState !== WebSocket.OPEN) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      syncProtocol.writeUpdate(encoder, update);
      this.sendDoc(docName, encoding.toUint8Array(encoder));
    });
    this.sendFrame(encodeSubscribe(docName, Y.encodeStateVector(doc)));
    return doc;
  }

  unsubscribe(docName: string): void {
    this.docs.delete(docName);
    this.sendFrame(encodeUnsubscribe(docName));
  }

  /** Sends `message` (a y-websocket message, or anything) as a frame about `docName`. */
  sendDoc(docName: string, message: Uint8Array): void {
    this.sendFrame(joinMuxFrame(muxPrefix(docName), message));
  }

  /** Sends a whole frame as it is (counted in `bytesSent`). */
  sendFrame(frame: Uint8Array | string): void {
    this.bytesSent += typeof frame === 'string' ? frame.length : frame.byteLength;
    this.ws.send(frame);
  }

  /** Resolves with the first `closed` of `docName` (already received or to come). */
  whenDocClosed(docName: string, timeoutMs = 10_000): Promise<DocClosed> {
    const known = this.closedDocs.get(docName)?.[0];
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${docName} was not closed`)), timeoutMs);
      const listener = (name: string, closed: DocClosed) => {
        if (name !== docName) return;
        clearTimeout(timer);
        this.off('doc-closed', listener);
        resolve(closed);
      };
      this.on('doc-closed', listener);
    });
  }

  /** Resolves when `predicate` holds, checked after each frame received; fails after `timeoutMs`. */
  until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('frame', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('frame', check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.on('frame', check);
    });
  }

  close(): void {
    this.ws.close();
  }

  private receive(data: Uint8Array): void {
    this.bytesReceived += data.byteLength;
    this.receiveFrame(data);
    this.emit('frame');
  }

  private receiveFrame(data: Uint8Array): void {
    const { docName, type, message } = readMuxFrame(data);
    this.frames.push({ docName, message });
    this.frameCounts.set(docName, (this.frameCounts.get(docName) ?? 0) + 1);
    if (type === MuxMessageType.closed) {
      const closed = readClosed(message);
      if (!closed) throw new Error('malformed closed message');
      this.closedDocs.set(docName, [...(this.closedDocs.get(docName) ?? []), closed]);
      this.closedCount++;
      this.emit('doc-closed', docName, closed);
      return;
    }
    const doc = this.docs.get(docName);
    if (!doc || type !== MessageType.sync) return;
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    if (syncProtocol.readSyncMessage(decoder, encoder, doc, this) === syncProtocol.messageYjsSyncStep2) this.syncedDocs.add(docName);
    if (encoding.length(encoder) > 1) this.sendDoc(docName, encoding.toUint8Array(encoder));
  }
}

/** Opens a mux socket with `cookie` and waits until it is open. */
export async function openMux(
  server: Pick<RunningServer, 'url'>,
  cookie: string,
  headers: Record<string, string> = {},
): Promise<MuxTestClient> {
  const client = new MuxTestClient(server, { cookie, ...headers });
  await client.opened;
  return client;
}
