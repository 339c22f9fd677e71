/**
 * Frame sizes and bytes being received (issue 20, item 11). A stock
 * y-websocket client hands its whole offline backlog over as one sync step 2
 * frame, so `ws` accepts frames up to `maxSyncStep2Bytes`; once a frame is
 * whole, every other type must still be within 1 MiB (closed with 1009, as
 * `ws` closes an oversized frame). `ws` buffers a frame until it is whole,
 * so the bytes a person has half-received over all their sockets are
 * counted from the raw TCP socket, and a socket that would pass
 * `receivingBytesPerPerson` is dropped: many large frames at once cannot
 * exhaust memory.
 */
import type { Duplex } from 'node:stream';
import { MessageType } from '../../shared/protocol.js';
import type { RelayResourceLimits } from './resource-limits.js';
import { MAX_OTHER_FRAME_BYTES } from './resource-limits.js';

/** y-protocols' sync message type of step 2. */
const SYNC_STEP_2 = 1;
/** `ws`'s code for a frame over the size limit. */
export const MESSAGE_TOO_BIG = 1009;

/** Whether a whole frame is within the size its type allows. */
export function frameSizeAllowed(frame: Uint8Array, limits: Pick<RelayResourceLimits, 'maxSyncStep2Bytes'>): boolean {
  if (frame.byteLength <= MAX_OTHER_FRAME_BYTES) return true;
  // Both type varuints are one byte for every type we know.
  return frame[0] === MessageType.sync && frame[1] === SYNC_STEP_2 && frame.byteLength <= limits.maxSyncStep2Bytes;
}

/** The bytes on the wire of a client frame carrying `payload` bytes (header and mask included). */
function wireBytes(payload: number): number {
  return 2 + 4 + (payload < 126 ? 0 : payload < 65536 ? 2 : 8);
}

export class ReceivingBytes {
  private readonly byPerson = new Map<string, number>();

  constructor(private readonly limitPerPerson: number) {}

  /**
   * Counts what arrives on `socket` for `userId` until each frame is whole.
   * `onOver` is called (once) when this socket would take the person past
   * the limit. Returns the hooks the relay calls as frames complete and
   * when the socket closes.
   */
  watch(socket: Duplex, userId: string, onOver: (received: number) => void): SocketReceiving {
    const receiving = new SocketReceiving(this.byPerson, userId);
    // Before `ws`'s own listener, which handles the chunk (and emits its frames) at once.
    socket.prependListener('data', (chunk: Buffer) => {
      const total = receiving.add(chunk.byteLength);
      if (total <= this.limitPerPerson || !receiving.open) return;
      // What this socket half-sent is dropped with it.
      receiving.closed();
      onOver(total);
    });
    return receiving;
  }

  /** Bytes half-received from this person's sockets now (tests, metrics). */
  bytesOf(userId: string): number {
    return this.byPerson.get(userId) ?? 0;
  }
}

/**
 * One socket's half-received bytes, counted into its person's total. A
 * class rather than closures: one is kept per open connection, and its
 * methods cost nothing per instance (issue 14).
 */
export class SocketReceiving {
  private pending = 0;
  private isOpen = true;

  constructor(
    private readonly byPerson: Map<string, number>,
    private readonly userId: string,
  ) {}

  /** False once closed: nothing more is counted. */
  get open(): boolean {
    return this.isOpen;
  }

  /** Counts `bytes` more (or fewer, when negative); returns the person's total. */
  add(bytes: number): number {
    const total = (this.byPerson.get(this.userId) ?? 0) + (this.isOpen ? bytes : 0);
    if (!this.isOpen) return total;
    this.pending += bytes;
    this.byPerson.set(this.userId, total);
    return total;
  }

  /** A frame of `payloadBytes` is whole: its bytes are no longer half-received. */
  frameDone(payloadBytes: number): void {
    this.add(-Math.min(this.pending, wireBytes(payloadBytes)));
  }

  /** The socket closed (or was dropped): nothing of it is half-received any more. */
  closed(): void {
    this.add(-this.pending);
    this.isOpen = false;
    if ((this.byPerson.get(this.userId) ?? 0) <= 0) this.byPerson.delete(this.userId);
  }
}
