/**
 * The y-websocket relay on `/sync/<docName>`: authenticates each upgrade,
 * authorizes the document, then binds the socket to the document's room.
 * Refusals are sent as close codes the client understands (4401, 4403)
 * after accepting, because browsers do not expose HTTP upgrade failures.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseDocName, type DocName } from '../../shared/doc-names.js';
import { MAX_FRAME_BYTES } from '../../shared/limits.js';
import { CloseCode, SYNC_PATH } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import { Connection, type ConnectionIdentity } from './connection.js';
import type { DocRegistry } from './doc-registry.js';
import { FrameRateLimits } from './frame-rate-limits.js';

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

export class Relay {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();

  constructor(
    private readonly registry: DocRegistry,
    private readonly policy: RelayPolicy,
    private readonly log: Logger,
    private readonly rateLimits: FrameRateLimits = new FrameRateLimits(),
  ) {
    this.heartbeat = setInterval(() => this.checkHeartbeats(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether this upgrade request is for the relay. */
  handles(request: IncomingMessage): boolean {
    return (request.url ?? '').startsWith(SYNC_PATH + '/');
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.admit(request).then(
      (admission) => this.accept(request, socket, head, admission),
      (error: unknown) => {
        this.log.error('relay upgrade failed', { url: request.url, error: String(error) });
        socket.destroy();
      },
    );
  }

  /** Closes every connection of a session (sign-out). */
  closeSession(sessionId: string, code: number = CloseCode.unauthenticated, reason = 'signed out'): void {
    for (const connection of this.connections) {
      if (connection.identity.sessionId === sessionId) connection.close(code, reason);
    }
  }

  /** Closes a person's connections to one document (removed from a conversation). */
  closeMember(docName: string, userId: string): void {
    for (const connection of this.connections) {
      if (connection.docName === docName && connection.identity.userId === userId) {
        connection.close(CloseCode.forbidden, 'no longer a member');
      }
    }
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
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
    this.registry.acquire(docName).then(
      (room) => {
        if (socket.destroyed) {
          this.registry.release(room);
          return;
        }
        this.wss.handleUpgrade(request, socket, head, (ws) => {
          const connection = new Connection(ws, identity, docName);
          this.connections.add(connection);
          this.alive.add(ws);
          ws.on('pong', () => this.alive.add(ws));
          ws.on('message', (data, isBinary) => {
            if (connection.isClosed) return;
            if (!isBinary) {
              connection.close(CloseCode.invalidUpdate, 'text frames are not part of the protocol');
              return;
            }
            const frame = toUint8Array(data);
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
            this.connections.delete(connection);
            room.leave(connection);
            this.registry.release(room);
          });
          ws.on('error', (error) => this.log.warn('relay socket error', { doc: docName, error: String(error) }));
          room.join(connection);
        });
      },
      (error: unknown) => {
        this.log.error('loading a document failed', { doc: docName, error: String(error) });
        this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(CloseCode.tryAgainLater, 'document unavailable'));
      },
    );
  }

  private checkHeartbeats(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

type Admission = { docName: string; identity: ConnectionIdentity } | { refuse: number; reason: string };

/** `/sync/conv/abc?x=1` → `conv/abc`. */
function docNameOf(url: string): string | null {
  const path = url.split('?')[0];
  if (!path.startsWith(SYNC_PATH + '/')) return null;
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
