/**
 * Who on this relay listens for whose shared heads (docs/PROTOCOL.md,
 * "Shared conversation heads"): each `/mux` socket that subscribed to
 * heads, by its signed-in person. A new head is encoded once and the same
 * bytes handed to the sockets of the conversation's current members only,
 * so a non-member never receives it and a removed member stops at the
 * next head. No document is loaded or written for it.
 */
import { encodeHeadFrame, type HeadFrame } from '../../shared/head-frames.js';

/** Sends one whole frame on a socket (it queues and bounds like any other frame of that socket). */
export type SendFrame = (frame: Uint8Array) => void;

/** What the head writer publishes through: this relay's hub, or in a cluster every relay's (cluster/cluster-heads.ts). */
export interface HeadPublisher {
  publish(members: Iterable<string>, head: HeadFrame): number;
}

export class HeadHub implements HeadPublisher {
  private readonly listeners = new Map<string, Set<SendFrame>>();
  private readonly resyncs = new Map<SendFrame, () => void>();

  /**
   * Starts sending `userId`'s heads to `send`; the returned function stops it
   * (the socket closed). `resync` runs when heads may have been missed (a
   * cluster's bus reconnected): the socket catches up again from the table.
   */
  listen(userId: string, send: SendFrame, resync?: () => void): () => void {
    let sends = this.listeners.get(userId);
    if (!sends) this.listeners.set(userId, (sends = new Set()));
    sends.add(send);
    if (resync) this.resyncs.set(send, resync);
    return () => {
      sends.delete(send);
      this.resyncs.delete(send);
      if (sends.size === 0 && this.listeners.get(userId) === sends) this.listeners.delete(userId);
    };
  }

  /** Every listening socket catches up again (heads may have been lost on the way to this relay). */
  resync(): void {
    for (const resync of [...this.resyncs.values()]) resync();
  }

  /** Hands the head to the listening sockets of `members` (the conversation's members when the head was taken); returns how many sockets got it. */
  publish(members: Iterable<string>, head: HeadFrame): number {
    let frame: Uint8Array | null = null;
    let sent = 0;
    for (const userId of members) {
      const sends = this.listeners.get(userId);
      if (!sends) continue;
      frame ??= encodeHeadFrame(head);
      for (const send of sends) {
        send(frame);
        sent++;
      }
    }
    return sent;
  }
}
