/**
 * The cluster bus (cluster-bus.ts) within one process: a hub stands in for
 * Redis and each node for one relay's connection to it. Delivery is
 * asynchronous and in publishing order, as over Redis; a node can be cut off
 * and brought back (`disconnect`, `reconnect`) to test what uses the bus
 * against lost messages without a network.
 */
import type { Logger } from '../config.js';
import type { BusChannel, BusSubscription, ClusterBus } from './cluster-bus.js';
import { BusSubscribers } from './bus-subscribers.js';

export class MemoryBusHub {
  private readonly nodes = new Set<MemoryClusterBus>();

  constructor(private readonly log: Logger) {}

  /** A new node on this hub (one per simulated relay). */
  node(): MemoryClusterBus {
    const node = new MemoryClusterBus(this, this.log);
    this.nodes.add(node);
    return node;
  }

  /** Sends bytes to every connected node, each in its own task, in order; returns how many listen on `name` (as Redis does). */
  send(name: string, bytes: Uint8Array): number {
    let listening = 0;
    for (const node of this.nodes) {
      if (!node.connected) continue;
      if (node.listensOn(name)) listening++;
      queueMicrotask(() => node.receive(name, bytes));
    }
    return listening;
  }

  /** Cuts a node off: what is published meanwhile never reaches it, and it cannot publish. */
  disconnect(node: MemoryClusterBus): void {
    node.connected = false;
  }

  /** Brings a node back; its reconnect listeners run once it is. */
  reconnect(node: MemoryClusterBus): void {
    if (node.connected) return;
    node.connected = true;
    queueMicrotask(() => node.reconnected());
  }

  leave(node: MemoryClusterBus): void {
    this.nodes.delete(node);
  }
}

export class MemoryClusterBus implements ClusterBus {
  /** Whether the hub reaches this node (the hub sets it). */
  connected = true;
  private closed = false;
  private readonly subscribers: BusSubscribers;
  private readonly reconnectListeners = new Set<() => void>();

  constructor(
    private readonly hub: MemoryBusHub,
    log: Logger,
  ) {
    this.subscribers = new BusSubscribers(log);
  }

  async publish<T>(channel: BusChannel<T>, message: T): Promise<number> {
    if (this.closed) throw new Error('the cluster bus is closed');
    if (!this.connected) throw new Error('the cluster bus is disconnected');
    return this.hub.send(channel.name, channel.encode(message));
  }

  async subscribe<T>(channel: BusChannel<T>, handler: (message: T) => void): Promise<BusSubscription> {
    if (this.closed) throw new Error('the cluster bus is closed');
    const added = this.subscribers.add(channel, handler);
    return {
      unsubscribe: async () => {
        added.remove();
      },
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    this.reconnectListeners.clear();
    this.hub.leave(this);
  }

  /** Whether a handler here listens on `name` (the hub counts listeners as Redis does). */
  listensOn(name: string): boolean {
    return !this.closed && this.subscribers.has(name);
  }

  /** A message from the hub. */
  receive(name: string, bytes: Uint8Array): void {
    if (this.connected && !this.closed) this.subscribers.deliver(name, bytes);
  }

  /** The hub brought this node back. */
  reconnected(): void {
    for (const listener of this.reconnectListeners) listener();
  }
}
