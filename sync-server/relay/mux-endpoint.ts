/**
 * The relay's multiplexed endpoint, `/mux` (docs/PROTOCOL.md, "One socket
 * for many documents"): one socket per browser tab for every document it
 * syncs. The upgrade is checked like `/sync/<doc>` (Origin, then the
 * session) but names no document; each document is authorized when the
 * socket subscribes to it (mux-socket.ts). The socket counts as one of its
 * person's connections, and is watched like any other: bytes half-received,
 * heartbeats.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { pingOrDrop } from './heartbeat.js';
import { MUX_MAX_DOC_NAME_BYTES, MUX_PATH } from '../../shared/mux-frames.js';
import { CloseCode } from '../../shared/protocol.js';
import type { SocketPlaces } from './connection-caps.js';
import type { ConnectionIdentity } from './connection.js';
import { MuxSocket, type MuxHost } from './mux-socket.js';
import type { ReceivingBytes } from './receiving-bytes.js';
import { closeFor, type Revocation } from './revocation.js';

/** What the endpoint needs of the relay's policy (relay.ts, `RelayPolicy`). */
export interface MuxPolicy {
  authenticate(request: IncomingMessage): Promise<ConnectionIdentity | null>;
  originAllowed(request: IncomingMessage): boolean;
}

type MuxAdmission = { identity: ConnectionIdentity } | { refuse: number; reason: string };

/** Whether `url` is the multiplexed endpoint (a query string is allowed and ignored). */
export function isMuxUrl(url: string): boolean {
  return url.split('?')[0] === MUX_PATH;
}

export class MuxEndpoint {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<MuxSocket>();
  private readonly alive = new WeakSet<WebSocket>();

  constructor(
    private readonly host: MuxHost,
    private readonly policy: MuxPolicy,
    private readonly receiving: ReceivingBytes,
  ) {
    // A frame is a y-websocket frame behind a document name: the name may add this much to the largest.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: host.resources.maxSyncStep2Bytes + MUX_MAX_DOC_NAME_BYTES + 8 });
  }

  /** Multiplexed sockets open now (tests, metrics). */
  get socketCount(): number {
    return this.sockets.size;
  }

  /** Bytes `ws` holds unsent for this person's multiplexed sockets. */
  bufferedBytesOf(userId: string): number {
    let bytes = 0;
    for (const socket of this.sockets) if (socket.identity.userId === userId) bytes += socket.bufferedAmount;
    return bytes;
  }

  /** Takes an upgrade to `/mux` whose address already holds a place under its cap. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, places: SocketPlaces): void {
    this.admit(request).then(
      (admission) => this.accept(request, socket, head, places, admission),
      (error: unknown) => {
        this.host.log.error('relay upgrade failed', { url: request.url, error: String(error) });
        socket.destroy();
      },
    );
  }

  /** Accepts the upgrade only to close it with `code`: browsers cannot read an HTTP refusal. */
  private refuse(request: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason));
  }

  /** A session ended or a visitor was blocked: their whole sockets close. Removals are per document (the relay's connections). */
  revoke(revocation: Revocation): void {
    if (revocation.kind === 'member-removed') return;
    const { code, reason } = closeFor(revocation);
    for (const socket of this.sockets) {
      if (socket.identity.sessionId === revocation.sessionId) socket.close(code, reason);
    }
  }

  /** Pings every socket; one that did not answer the last ping is dropped. */
  checkHeartbeats(): void {
    pingOrDrop(this.wss.clients, this.alive);
  }

  close(): void {
    for (const socket of this.sockets) socket.close(CloseCode.goingAway, 'server shutting down');
    this.wss.close();
  }

  private async admit(request: IncomingMessage): Promise<MuxAdmission> {
    if (!this.policy.originAllowed(request)) return { refuse: CloseCode.forbidden, reason: 'origin not allowed' };
    const identity = await this.policy.authenticate(request);
    if (!identity) return { refuse: CloseCode.unauthenticated, reason: 'not signed in' };
    return { identity };
  }

  /** `places`: the socket's address place, already released on its `'close'` (relay.ts); the person's place joins it. */
  private accept(request: IncomingMessage, socket: Duplex, head: Buffer, places: SocketPlaces, admission: MuxAdmission): void {
    if ('refuse' in admission) {
      this.refuse(request, socket, head, admission.refuse, admission.reason);
      return;
    }
    const held = this.host.caps.claimMuxSocket(admission.identity.userId, places);
    if ('refused' in held) {
      this.refuse(request, socket, head, CloseCode.rateLimited, held.refused);
      return;
    }
    if (socket.destroyed) return;
    const { identity } = admission;
    // Bound in a method of its own: the socket's handlers must not keep the upgrade request alive.
    this.wss.handleUpgrade(request, socket, head, (ws) => this.bind(ws, socket, identity));
  }

  private bind(ws: WebSocket, socket: Duplex, identity: ConnectionIdentity): void {
    const mux = new MuxSocket(ws, identity, this.host);
    const receiving = this.receiving.watch(socket, identity.userId, (bytes) => {
      this.host.log.warn('dropped a multiplexed socket: its person is receiving too much at once', { user: identity.userId, bytes });
      ws.terminate();
    });
    this.sockets.add(mux);
    this.alive.add(ws);
    ws.on('ping', (data) => receiving.frameDone(data.byteLength));
    ws.on('pong', (data) => {
      receiving.frameDone(data.byteLength);
      this.alive.add(ws);
    });
    const received = this.host.metrics.received('mux');
    ws.on('message', (data, isBinary) => {
      received.inc();
      const frame = toUint8Array(data);
      receiving.frameDone(frame.byteLength);
      mux.receive(frame, isBinary);
    });
    ws.on('close', () => {
      receiving.closed();
      this.sockets.delete(mux);
      mux.socketClosed();
    });
    ws.on('error', (error) => this.host.log.warn('multiplexed socket error', { user: identity.userId, error: String(error) }));
  }
}

function toUint8Array(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
