/** One accepted WebSocket bound to one document, for one signed-in person. */
import type { RelaySocket } from './socket.js';

export interface ConnectionIdentity {
  userId: string;
  /** The session it authenticated with; signing out closes its connections. */
  sessionId: string;
}

export class Connection {
  /** Awareness client ids this connection has set; removed when it leaves. */
  readonly awarenessIds = new Set<number>();
  private closed = false;

  constructor(
    readonly socket: RelaySocket,
    readonly identity: ConnectionIdentity,
    readonly docName: string,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  send(frame: Uint8Array): void {
    if (!this.closed) this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  /** Marks the connection closed from the other side (socket already gone). */
  markClosed(): void {
    this.closed = true;
  }
}
