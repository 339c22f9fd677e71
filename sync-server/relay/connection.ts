/** One accepted WebSocket bound to one document, for one signed-in person. */
import { CloseCode } from '../../shared/protocol.js';
import type { Tally } from '../operations/counters.js';
import { ClientIdSet } from './client-id-set.js';
import type { ConnectionQueue, FrameKind } from './send-queues.js';
import type { RelaySocket } from './socket.js';

export interface ConnectionIdentity {
  userId: string;
  /** The session it authenticated with; signing out closes its connections. */
  sessionId: string;
}

export class Connection {
  /** Awareness client ids this connection has set; removed when it leaves. Most often one (client-id-set.ts). */
  readonly awarenessIds = new ClientIdSet();
  private closed = false;

  constructor(
    readonly socket: RelaySocket,
    readonly identity: ConnectionIdentity,
    readonly docName: string,
    /** What waits to be sent to it, bounded (send-queues.ts); none in unit tests of the room. */
    private readonly queue: ConnectionQueue | null = null,
    /** Counts the frames sent (operations/server-metrics.ts); none in unit tests of the room. */
    private readonly sent: Tally | null = null,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Whether a frame of `bytes` may be queued now; if not, the connection is
   * dropped. Asked before building a large frame (sync-answers.ts).
   */
  admits(bytes: number, kind?: FrameKind, shared: Uint8Array | null = null): boolean {
    if (this.closed) return false;
    if (!this.queue || this.queue.admits(bytes, kind, shared)) return true;
    this.drop();
    return false;
  }

  /**
   * Queues a frame, or drops the connection if its queue (or its person's) would pass the bound. `kind` is left out
   * for live frames (a broadcast): no object per frame and connection.
   */
  send(frame: Uint8Array, kind?: FrameKind): void {
    if (this.closed) return;
    if (!this.queue) {
      this.sent?.inc();
      this.socket.send(frame);
      return;
    }
    if (!this.queue.admits(frame.byteLength, kind, kind?.shared ? frame : null)) {
      this.drop();
      return;
    }
    this.sent?.inc();
    this.socket.send(frame, this.queue.enqueue(frame, kind));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  /** Marks the connection closed from the other side (socket already gone). */
  markClosed(): void {
    this.closed = true;
    this.queue?.release();
  }

  /** Closes at once, discarding its queue (the peer reconnects and resyncs; nothing stored is lost). */
  private drop(): void {
    if (this.closed) return;
    if (!this.socket.terminate) {
      this.close(CloseCode.tryAgainLater, 'too slow to keep up');
      return;
    }
    this.closed = true;
    this.socket.terminate();
    this.queue?.release();
  }
}
