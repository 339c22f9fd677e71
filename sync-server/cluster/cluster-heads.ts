/**
 * Shared conversation heads across the relays of a cluster (docs/PROTOCOL.md,
 * "Shared conversation heads", step 4). The relay that owns a conversation
 * writes its head into the head table (PostgreSQL) and publishes it once on
 * the bus, with the members named in the conversation's `meta` when the
 * head was taken; every relay hands it to the listening `/mux` sockets of
 * those members only (head-hub.ts), so a non-member never receives it, on
 * any relay: membership is checked at delivery as on one relay. The
 * publishing relay delivers to its own sockets at once, whatever the bus
 * does, and skips its own message when the bus brings it back.
 *
 * The bus may lose messages (Redis reconnecting): the table holds every
 * head, and after a reconnection each listening socket on this relay is
 * caught up again from it (`HeadHub.resync`), so a head missed on the bus
 * arrives from the store.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { HeadFrame } from '../../shared/head-frames.js';
import { isSharedHead } from '../../shared/heads.js';
import type { Logger } from '../config.js';
import type { HeadHub, HeadPublisher } from '../participants/head-hub.js';
import type { BusChannel, BusSubscription, ClusterBus } from './cluster-bus.js';

/** A head as one relay publishes it to the others. */
export interface PublishedHead {
  /** The publishing relay's id for this channel: it does not deliver its own message twice. */
  origin: string;
  /** The conversation's members when the head was taken: the only people it is delivered to. */
  members: string[];
  head: HeadFrame;
}

/** Every relay listens: which of its sockets a head goes to, it decides from `members`. */
export const headsChannel: BusChannel<PublishedHead> = {
  name: 'heads',
  encode({ origin, members, head }) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, origin);
    encoding.writeVarUint(encoder, members.length);
    for (const member of members) encoding.writeVarString(encoder, member);
    encoding.writeVarString(encoder, head.conversationId);
    encoding.writeVarUint(encoder, head.rev);
    encoding.writeVarString(encoder, JSON.stringify(head.head));
    return encoding.toUint8Array(encoder);
  },
  decode(bytes) {
    try {
      const decoder = decoding.createDecoder(bytes);
      const origin = decoding.readVarString(decoder);
      const count = decoding.readVarUint(decoder);
      // A member id takes at least its length byte: a count above what is left is not one we sent.
      if (count > bytes.length) return null;
      const members: string[] = [];
      for (let i = 0; i < count; i++) members.push(decoding.readVarString(decoder));
      const conversationId = decoding.readVarString(decoder);
      const rev = decoding.readVarUint(decoder);
      const head: unknown = JSON.parse(decoding.readVarString(decoder));
      if (decoding.hasContent(decoder) || conversationId === '' || !isSharedHead(head)) return null;
      return { origin, members, head: { conversationId, rev, head } };
    } catch {
      return null;
    }
  },
};

export class ClusterHeads implements HeadPublisher {
  private readonly origin = randomBytes(8).toString('hex');
  private subscription: BusSubscription | undefined;
  private stopReconnect: (() => void) | undefined;

  private constructor(
    private readonly bus: ClusterBus,
    private readonly hub: HeadHub,
    private readonly log: Logger,
  ) {}

  /** Listens for other relays' heads (resolves once the bus does) and hands them to `hub`'s sockets. */
  static async start(bus: ClusterBus, hub: HeadHub, log: Logger): Promise<ClusterHeads> {
    const heads = new ClusterHeads(bus, hub, log);
    heads.subscription = await bus.subscribe(headsChannel, ({ origin, members, head }) => {
      if (origin !== heads.origin) hub.publish(members, head);
    });
    heads.stopReconnect = bus.onReconnect(() => hub.resync());
    return heads;
  }

  /** Sends the head to this relay's sockets of `members` now, and to the other relays' over the bus; returns how many sockets here got it. */
  publish(members: Iterable<string>, head: HeadFrame): number {
    const named = [...members];
    const sent = this.hub.publish(named, head);
    this.bus.publish(headsChannel, { origin: this.origin, members: named, head }).catch((error: unknown) => {
      // The other relays' sockets get it from the table at their next catch-up (a bus reconnection, or the client's).
      this.log.warn('could not publish a shared head on the cluster bus', { conversationId: head.conversationId, error: String(error) });
    });
    return sent;
  }

  async close(): Promise<void> {
    this.stopReconnect?.();
    await this.subscription?.unsubscribe();
  }
}
