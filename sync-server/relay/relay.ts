/**
 * The y-websocket relay on `/sync/<docName>`: authenticates each upgrade,
 * authorizes the document, then binds the socket to the document's room.
 * Refusals are sent as close codes the client understands (4401, 4403)
 * after accepting, because browsers do not expose HTTP upgrade failures.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { pingOrDrop } from './heartbeat.js';
import { parseDocName, type DocName } from '../../shared/doc-names.js';
import { CloseCode, SYNC_PATH } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import { Connection, type ConnectionIdentity } from './connection.js';
import { ConnectionCaps, type SocketPlaces } from './connection-caps.js';
import type { DocRegistry } from './doc-registry.js';
import type { SocketRoom } from './socket-room.js';
import { FrameRateLimits } from './frame-rate-limits.js';
import { isMuxUrl, MuxEndpoint } from './mux-endpoint.js';
import type { HeadsSource } from './mux-heads.js';
import { frameSizeAllowed, MESSAGE_TOO_BIG, ReceivingBytes } from './receiving-bytes.js';
import { closeFor, names, type Revocation, type SocketRevoker } from './revocation.js';
import { checkResourceLimits, DEFAULT_RELAY_RESOURCE_LIMITS, type RelayResourceLimits } from './resource-limits.js';
import { SendQueues } from './send-queues.js';
import { type RelayCounters, UNCOUNTED } from '../operations/counters.js';

export interface RelayPolicy {
  /** Who is asking, from the upgrade request (cookie); null when nobody valid. */
  authenticate(request: IncomingMessage): Promise<ConnectionIdentity | null>;
  /** May this person open this document? */
  authorize(identity: ConnectionIdentity, doc: DocName): Promise<boolean>;
  /** Is the request's Origin one we serve? */
  originAllowed(request: IncomingMessage): boolean;
}

/** A dead peer is noticed within two of these intervals. */
const HEARTBEAT_MS = 30_000;

export class Relay implements SocketRevoker {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();
  /** Bounds on what waits to be sent, what is being received, and sockets held (issue 20). */
  private readonly sendQueues: SendQueues;
  private readonly caps: ConnectionCaps;
  private readonly receiving: ReceivingBytes;
  /** `/mux`: one socket for many documents, each one a connection of this relay (mux-endpoint.ts). */
  private readonly mux: MuxEndpoint;

  constructor(
    private readonly registry: DocRegistry,
    private readonly policy: RelayPolicy,
    private readonly log: Logger,
    private readonly rateLimits: FrameRateLimits = new FrameRateLimits(),
    private readonly resources: RelayResourceLimits = DEFAULT_RELAY_RESOURCE_LIMITS,
    /** Frames in and out, for `/metrics` (operations/server-metrics.ts). */
    private readonly metrics: RelayCounters = UNCOUNTED,
    /** Shared heads on `/mux` (HEADS_SHARED, mux-heads.ts); absent: heads live in user documents. */
    heads?: HeadsSource,
  ) {
    checkResourceLimits(resources);
    // Sync step 2 may be this large (an offline backlog); every other frame type is held to 1 MiB once whole.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: resources.maxSyncStep2Bytes });
    this.sendQueues = new SendQueues(resources, log);
    this.caps = new ConnectionCaps(resources);
    this.receiving = new ReceivingBytes(resources.receivingBytesPerPerson);
    const { sendQueues, caps, connections } = this;
    const authorize = (identity: ConnectionIdentity, doc: DocName) => policy.authorize(identity, doc);
    this.mux = new MuxEndpoint(
      { registry, authorize, caps, sendQueues, rateLimits, resources, log, connections, metrics, heads },
      policy,
      this.receiving,
    );
    this.heartbeat = setInterval(() => this.checkHeartbeats(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether this upgrade request is for the relay. */
  handles(request: IncomingMessage): boolean {
    const url = request.url ?? '';
    return url.startsWith(`${SYNC_PATH}/`) || isMuxUrl(url);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Counted from the first byte, so sockets waiting for authentication count too.
    const places = this.caps.claimAddress(request.socket.remoteAddress ?? 'unknown');
    if ('refused' in places) {
      this.accept(request, socket, head, { refuse: CloseCode.rateLimited, reason: places.refused });
      return;
    }
    // The places' own function, not a closure here: that would keep the request alive as long as the socket.
    // `on`, not `once`: a socket closes once, and `once` wraps each listener in a bound function and a state object
    // kept as long as the socket (issue 14: an idle connection's heap); `release` is safe to call twice anyway.
    // The person's places join these once admitted, so this is the socket's one listener for the caps.
    socket.on('close', places.release);
    if (isMuxUrl(request.url ?? '')) {
      this.mux.handleUpgrade(request, socket, head, places);
      return;
    }
    this.admit(request).then(
      (admission) => this.accept(request, socket, head, this.claimPersonPlaces(places, admission)),
      (error: unknown) => {
        this.log.error('relay upgrade failed', { url: request.url, error: String(error) });
        socket.destroy();
      },
    );
  }

  /** Closes the sockets a revocation names (sign-out, a blocked visitor, a removed member), on this relay. */
  revoke(revocation: Revocation): void {
    // Whole multiplexed sockets first, so their documents do not each hear the close on the way.
    this.mux.revoke(revocation);
    const { code, reason } = closeFor(revocation);
    for (const connection of this.connections) {
      if (names(revocation, connection)) connection.close(code, reason);
    }
  }

  /** Open multiplexed sockets (`/mux`); their documents count in `connectionCount`. */
  get muxSocketCount(): number {
    return this.mux.socketCount;
  }

  /** Open `/sync/<doc>` sockets (metrics), those being closed with a refusal included. */
  get syncSocketCount(): number {
    return this.wss.clients.size;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes queued to this person's connections, as the relay counts them (send-queues.ts). */
  queuedBytesOf(userId: string): number {
    return this.sendQueues.queuedBytesOf(userId);
  }

  /** The most ever queued to this person's connections at once while any was open. */
  peakQueuedBytesOf(userId: string): number {
    return this.sendQueues.peakQueuedBytesOf(userId);
  }

  /** Bytes of frames this person's sockets have half-received now (receiving-bytes.ts). */
  receivingBytesOf(userId: string): number {
    return this.receiving.bytesOf(userId);
  }

  /** Bytes `ws` holds unsent for this person's sockets (tests and metrics). */
  bufferedBytesOf(userId: string): number {
    let bytes = this.mux.bufferedBytesOf(userId);
    for (const connection of this.connections) {
      if (connection.identity.userId === userId) bytes += connection.socket.bufferedAmount;
    }
    return bytes;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.mux.close();
    for (const connection of this.connections) connection.close(CloseCode.goingAway, 'server shutting down');
    this.wss.close();
  }

  private async admit(request: IncomingMessage): Promise<Admission> {
    const docName = docNameOf(request.url ?? '');
    const doc = docName === null ? null : parseDocName(docName);
    if (!doc || docName === null) return { refuse: CloseCode.forbidden, reason: 'unknown document' };
    if (!this.policy.originAllowed(request)) return { refuse: CloseCode.forbidden, reason: 'origin not allowed' };
    const identity = await this.policy.authenticate(request);
    if (!identity) return { refuse: CloseCode.unauthenticated, reason: 'not signed in' };
    if (!(await this.policy.authorize(identity, doc))) return { refuse: CloseCode.forbidden, reason: 'not a member' };
    return { docName, identity };
  }

  private accept(request: IncomingMessage, socket: Duplex, head: Buffer, admission: Admission): void {
    if ('refuse' in admission) {
      this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(admission.refuse, admission.reason));
      return;
    }
    const { docName, identity } = admission;
    // Load the document before accepting, so no frame arrives before there is a room for it.
    this.registry.acquireForSocket(docName).then(
      (room) => {
        if (socket.destroyed) {
          this.registry.releaseForSocket(room);
          return;
        }
        // Bound in a method of its own: the connection's handlers must not keep the upgrade request alive.
        this.wss.handleUpgrade(request, socket, head, (ws) => this.bind(ws, socket, identity, docName, room));
      },
      (error: unknown) => {
        this.log.error('loading a document failed', { doc: docName, error: String(error) });
        this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(CloseCode.tryAgainLater, 'document unavailable'));
      },
    );
  }

  /** Makes an accepted socket a connection of `room`. */
  private bind(ws: WebSocket, socket: Duplex, identity: ConnectionIdentity, docName: string, room: SocketRoom): void {
    const connection = new Connection(ws, identity, docName, this.sendQueues.open(identity.userId, docName), this.metrics.sent('sync'));
    const received = this.metrics.received('sync');
    const receiving = this.receiving.watch(socket, identity.userId, (bytes) => {
      this.log.warn('dropped a connection: its person is receiving too much at once', { doc: docName, user: identity.userId, bytes });
      ws.terminate();
    });
    ws.on('ping', (data) => receiving.frameDone(data.byteLength));
    this.connections.add(connection);
    this.alive.add(ws);
    ws.on('pong', (data) => {
      receiving.frameDone(data.byteLength);
      this.alive.add(ws);
    });
    ws.on('message', (data, isBinary) => {
      received.inc();
      const frame = toUint8Array(data);
      receiving.frameDone(frame.byteLength);
      if (connection.isClosed) return;
      if (!isBinary) {
        connection.close(CloseCode.invalidUpdate, 'text frames are not part of the protocol');
        return;
      }
      if (!frameSizeAllowed(frame, this.resources)) {
        connection.close(MESSAGE_TOO_BIG, 'frame too large for its type');
        return;
      }
      if (!this.rateLimits.admit(connection, frame)) {
        this.log.warn('closed a connection over its rate limit', { doc: docName, user: identity.userId });
        connection.close(CloseCode.rateLimited, 'rate limited');
        return;
      }
      try {
        room.receive(connection, frame);
      } catch (error) {
        // A bug in handling one frame must cost one connection, never the process.
        this.log.error('relay failed to handle a frame', { doc: docName, user: identity.userId, error: String(error) });
        connection.close(CloseCode.invalidUpdate, 'frame could not be handled');
      }
    });
    ws.on('close', () => {
      connection.markClosed();
      receiving.closed();
      this.connections.delete(connection);
      room.leave(connection);
      this.registry.releaseForSocket(room);
    });
    ws.on('error', (error) => this.log.warn('relay socket error', { doc: docName, error: String(error) }));
    room.join(connection);
  }

  /**
   * Past a person's socket caps the admission becomes a 4429 refusal; their
   * places join the socket's `places`, given back when the socket closes.
   */
  private claimPersonPlaces(places: SocketPlaces, admission: Admission): Admission {
    if ('refuse' in admission) return admission;
    const held = this.caps.claimPerson(admission.identity.userId, admission.docName, places);
    if ('refused' in held) {
      this.log.warn('refused a connection over its cap', { doc: admission.docName, user: admission.identity.userId, reason: held.refused });
      return { refuse: CloseCode.rateLimited, reason: held.refused };
    }
    return admission;
  }

  private checkHeartbeats(): void {
    this.mux.checkHeartbeats();
    pingOrDrop(this.wss.clients, this.alive);
  }
}

type Admission = { docName: string; identity: ConnectionIdentity } | { refuse: number; reason: string };

/** `/sync/conv/abc?x=1` → `conv/abc`. */
function docNameOf(url: string): string | null {
  const path = url.split('?')[0];
  if (!path.startsWith(`${SYNC_PATH}/`)) return null;
  try {
    return decodeURIComponent(path.slice(SYNC_PATH.length + 1));
  } catch {
    return null;
  }
}

function toUint8Array(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
