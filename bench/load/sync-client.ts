/**
 * The bench's load client: one Y.Doc per connection speaking the
 * y-websocket protocol (sync and awareness over lib0 encoding), as the stock
 * provider does on connect: sync step 1, one awareness state, then updates
 * both ways. Lean on purpose (no reconnect, no timers), so a thousand of
 * them fit in the load process and the same client drives every relay.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

export interface SyncClientOptions {
  /** Full WebSocket URL of the document. */
  url: string;
  /** Upgrade request headers (our relay: session cookie and Origin). */
  headers?: Record<string, string>;
  /** Send one awareness state on connect, as the stock provider does (default true). */
  awareness?: boolean;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export class SyncClient {
  readonly doc = new Y.Doc();
  /** Bytes of every frame received (application payload; no compression is negotiated). */
  bytesReceived = 0;
  /** Resolves when the socket is open. */
  readonly opened: Promise<void>;
  /** Resolves when the relay's sync step 2 (its whole state, as a diff) has been applied. */
  readonly synced: Promise<void>;
  /** Set when the socket closed, with why. */
  closedWith: CloseInfo | null = null;
  private readonly socket: WebSocket;
  /** Waiting for a sync step 2, in the order the step 1 requests went out. */
  private expectingSyncReply: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closedByUs = false;

  constructor(private readonly options: SyncClientOptions) {
    this.socket = new WebSocket(options.url, { headers: options.headers, perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    this.synced = new Promise((resolve, reject) => this.expectingSyncReply.push({ resolve, reject }));
    this.synced.catch(() => {}); // reported to whoever awaits it
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
      this.socket.once('close', (code, reason) => reject(new Error(`closed before open: ${code} ${reason.toString()}`)));
    });
    // Awaited elsewhere; an unhandled rejection here would only repeat the same failure.
    this.opened.catch(() => {});
    this.socket.on('open', () => this.onOpen());
    this.socket.on('message', (data: Buffer) => this.onFrame(data));
    this.socket.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      const waiting = this.expectingSyncReply;
      this.expectingSyncReply = [];
      for (const { reject } of waiting) reject(new Error(`the relay closed the connection: ${code} ${reason.toString()}`));
    });
    this.socket.on('error', () => {}); // the close event carries what we report
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendUpdate(update);
    });
  }

  /** Closed by the relay (not by us) with a code: the scenario reports it. */
  get droppedByRelay(): CloseInfo | null {
    return this.closedByUs ? null : this.closedWith;
  }

  /** Resolves after the relay has handled everything this client sent before (sync step 1 round trip). */
  roundTrip(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(new Error(`the connection is closed: ${this.closedWith.code} ${this.closedWith.reason}`));
      this.expectingSyncReply.push({ resolve, reject });
      this.send(encodeSync((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)));
    });
  }

  close(): void {
    this.closedByUs = true;
    this.socket.close();
    this.doc.destroy();
  }

  private onOpen(): void {
    this.send(encodeSync((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)));
    if (this.options.awareness !== false) this.send(encodeAwarenessState(this.doc.clientID, {}));
  }

  private onFrame(data: Buffer): void {
    this.bytesReceived += data.byteLength;
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const messageType = decoding.readVarUint(decoder);
    if (messageType !== MESSAGE_SYNC) return; // awareness of others: not needed by the bench
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
    if (encoding.length(reply) > 1) this.send(encoding.toUint8Array(reply));
    if (syncType === syncProtocol.messageYjsSyncStep2) this.expectingSyncReply.shift()?.resolve();
  }

  private sendUpdate(update: Uint8Array): void {
    this.send(encodeSync((encoder) => syncProtocol.writeUpdate(encoder, update)));
  }

  private send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }
}

function encodeSync(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** An awareness update with one client's state (the layout of y-protocols' encodeAwarenessUpdate). */
function encodeAwarenessState(clientId: number, state: object): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, 1);
  encoding.writeVarString(update, JSON.stringify(state));
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}
