/**
 * The cluster message bus: what relays must tell each other, on typed
 * channels (bus-channels.ts). Pub/sub delivers at most once and forgets
 * what nobody heard, so the bus carries frames, never the only copy: every
 * message must be recoverable from the store, and `onReconnect` says when
 * some may have been missed (docs/SCALING.md, "Redis"). Two implementations:
 * Redis (redis-cluster-bus.ts) across processes, memory
 * (memory-cluster-bus.ts) within one, for fast tests of what uses the bus.
 */

/** A channel: its name and how its messages travel as bytes. */
export interface BusChannel<T> {
  readonly name: string;
  encode(message: T): Uint8Array;
  /** Null for bytes that are not a message of this channel (dropped and logged, never trusted). */
  decode(bytes: Uint8Array): T | null;
}

export interface BusSubscription {
  /** Stops this handler; the last handler of a channel leaves the channel. */
  unsubscribe(): Promise<void>;
}

/** How a message leaves. */
export interface PublishOptions {
  /**
   * Sent at once rather than with the rest of this turn of the event loop
   * (Redis: publish-pipeline.ts), for a message others wait on while this
   * turn still has other work (an owner's committed batch). Order is kept.
   */
  immediately?: boolean;
}

export interface ClusterBus {
  /**
   * Sends a message to every subscriber of the channel on every node, this
   * node's included. Resolves once the bus took it, with how many nodes
   * listened on the channel then (0: nobody heard it, and nobody ever will,
   * e.g. an inbox whose relay is resubscribing after a reconnection);
   * rejects when it could not (Redis down): the caller's own copy is then
   * the only one, as it always must be allowed to be.
   */
  publish<T>(channel: BusChannel<T>, message: T, options?: PublishOptions): Promise<number>;
  /**
   * Resolves once the subscription is active: whatever is published after
   * that reaches `handler`, in the order one node published it. Subscribe
   * first, then read the store (document-follower.ts), or a message sent in
   * between is lost.
   */
  subscribe<T>(channel: BusChannel<T>, handler: (message: T) => void): Promise<BusSubscription>;
  /**
   * `listener` runs each time the bus lost its connection and has it back,
   * with every subscription active again. Messages published in between
   * may be lost: refill from the store. Returns a function that removes it.
   */
  onReconnect(listener: () => void): () => void;
  /** Leaves every channel; later publishes reject. */
  close(): Promise<void>;
}
