/**
 * One document on a multiplexed socket (`/mux`), seen by its room as a
 * socket of its own: the room, its validator, sequencer, quotas and the
 * connection's send queue work on it exactly as on a `/sync/<doc>` socket.
 * What it sends goes out on the shared socket behind the document's name;
 * closing it ends this document's subscription (the client hears `closed`
 * with the code and reason) and leaves the socket and its other documents
 * alone.
 */
import type { Connection } from './connection.js';
import type { SocketRoom } from './socket-room.js';
import type { RelaySocket } from './socket.js';

/** What a subscription needs from the socket it shares. */
export interface MuxWire {
  /** Sends `message` behind `prefix` (the document's name) as one frame; `written` as for `RelaySocket.send`. */
  sendFrame(prefix: Uint8Array, message: Uint8Array, written?: (error?: Error) => void): void;
  /** The relay ended this subscription: tell the client, then let go of the room. */
  ended(subscription: MuxSubscription, code: number, reason: string): void;
  /** Drops the whole socket at once (its queue passed a bound: the socket is not reading). */
  terminate(): void;
}

export class MuxSubscription implements RelaySocket {
  /** The bytes `ws` holds for the socket are its own; a subscription adds none of its own (send-queues.ts counts its frames). */
  readonly bufferedAmount = 0;
  private bound: { connection: Connection; room: SocketRoom } | null = null;
  private isEnded = false;
  /** Whether it holds its place under the person's connection caps (`ConnectionCaps.claimDocument`), until it ends. */
  private holdsPlace = true;

  constructor(
    private readonly wire: MuxWire,
    readonly docName: string,
    /** The document's name as every frame about it starts (shared/mux-frames.ts). */
    readonly prefix: Uint8Array,
  ) {}

  /** Set once authorized and joined; null while authorizing. */
  get connection(): Connection | null {
    return this.bound?.connection ?? null;
  }

  get room(): SocketRoom | null {
    return this.bound?.room ?? null;
  }

  /** True the first time only: the subscription's place under the caps is then the caller's to give back. */
  letGoOfPlace(): boolean {
    const held = this.holdsPlace;
    this.holdsPlace = false;
    return held;
  }

  /** True once ended by either side: nothing more is sent, a pending authorization lets go when it returns. */
  get ended(): boolean {
    return this.isEnded;
  }

  bind(connection: Connection, room: SocketRoom): void {
    this.bound = { connection, room };
  }

  /** Ends it from the relay's side, through its connection when it has one (so the connection knows it is closed). */
  end(code: number, reason: string): void {
    if (this.bound) this.bound.connection.close(code, reason);
    else this.close(code, reason);
  }

  /** Marks it ended; returns false if it already was. */
  markEnded(): boolean {
    if (this.isEnded) return false;
    this.isEnded = true;
    return true;
  }

  send(data: Uint8Array, written?: (error?: Error) => void): void {
    if (this.isEnded) {
      written?.(new Error('subscription ended'));
      return;
    }
    this.wire.sendFrame(this.prefix, data, written);
  }

  close(code: number, reason: string): void {
    if (this.isEnded) return;
    this.wire.ended(this, code, reason);
  }

  terminate(): void {
    this.wire.terminate();
  }
}
