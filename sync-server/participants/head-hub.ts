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

export class HeadHub {
  private readonly listeners = new Map<string, Set<SendFrame>>();

  /** Starts sending `userId`'s heads to `send`; the returned function stops it (the socket closed). */
  listen(userId: string, send: SendFrame): () => void {
    let sends = this.listeners.get(userId);
    if (!sends) this.listeners.set(userId, (sends = new Set()));
    sends.add(send);
    return () => {
      sends.delete(send);
      if (sends.size === 0 && this.listeners.get(userId) === sends) this.listeners.delete(userId);
    };
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
