/**
 * The cluster bus (cluster-bus.ts) over Redis pub/sub: one connection
 * publishes, the publishes of one process turn in one write
 * (publish-pipeline.ts), one (in subscriber mode) listens; channel names
 * carry the key prefix. When the listening connection is lost, ioredis reconnects; this
 * bus then subscribes to every channel again itself and only after Redis
 * confirmed it tells `onReconnect` listeners, so their refill from the store
 * cannot miss what is published while they read (subscribe, then read).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../config.js';
import { BusSubscribers } from './bus-subscribers.js';
import type { BusChannel, BusSubscription, ClusterBus, PublishOptions } from './cluster-bus.js';
import { PublishPipeline } from './publish-pipeline.js';

export class RedisClusterBus implements ClusterBus {
  private readonly subscribers: BusSubscribers;
  private readonly publishes: PublishPipeline;
  private readonly reconnectListeners = new Set<() => void>();
  /** SUBSCRIBE commands in flight, so a second handler waits for the same confirmation. */
  private readonly joining = new Map<string, Promise<void>>();
  private connectionLost = false;
  private closed = false;
  /** Reconnections with every channel restored (for the metrics to come: each one makes followers refill). */
  reconnects = 0;

  /**
   * `subscriber` must be opened with the role 'subscriber' (redis-connection.ts:
   * no automatic resubscription) and serves this bus alone; `publisher` is
   * best opened with the role 'publisher' (no timer per command; a publish
   * unanswered after `publishTimeoutMs` fails all the same) and may serve
   * other commands too. The bus closes neither.
   */
  constructor(
    publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly log: Logger,
    publishTimeoutMs = 1000,
  ) {
    this.subscribers = new BusSubscribers(log);
    this.publishes = new PublishPipeline(publisher, publishTimeoutMs);
    subscriber.on('messageBuffer', this.onMessage);
    subscriber.on('close', this.onClose);
    subscriber.on('ready', this.onReady);
  }

  /** Not an async function: a suspended one's state was ~1 KB of an owner's garbage per batch (docs/PERFORMANCE.md, issue 11, session 15). */
  publish<T>(channel: BusChannel<T>, message: T, options?: PublishOptions): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the cluster bus is closed'));
    let bytes: Uint8Array;
    try {
      bytes = channel.encode(message);
    } catch (error) {
      // As from an async function: the caller's catch sees it, never the caller's turn.
      return Promise.reject(error);
    }
    // Redis answers with the number of subscribed connections: one per listening relay (each has one subscriber).
    const payload = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.publishes.publish(this.redisName(channel.name), payload, options?.immediately);
  }

  async subscribe<T>(channel: BusChannel<T>, handler: (message: T) => void): Promise<BusSubscription> {
    if (this.closed) throw new Error('the cluster bus is closed');
    const added = this.subscribers.add(channel, handler);
    try {
      if (added.first || this.joining.has(channel.name)) await this.join(channel.name);
    } catch (error) {
      if (added.remove()) this.leave(channel.name);
      throw error;
    }
    return {
      unsubscribe: async () => {
        if (added.remove()) await this.leave(channel.name);
      },
    };
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publishes.close();
    this.subscriber.off('messageBuffer', this.onMessage);
    this.subscriber.off('close', this.onClose);
    this.subscriber.off('ready', this.onReady);
    const names = this.subscribers.names.map((name) => this.redisName(name));
    this.subscribers.clear();
    this.reconnectListeners.clear();
    if (names.length > 0 && this.subscriber.status === 'ready') await this.subscriber.unsubscribe(...names).catch(() => undefined);
  }

  private join(name: string): Promise<void> {
    const pending = this.joining.get(name);
    if (pending) return pending;
    const joined = this.subscriber
      .subscribe(this.redisName(name))
      .then(() => undefined)
      .finally(() => this.joining.delete(name));
    this.joining.set(name, joined);
    return joined;
  }

  private async leave(name: string): Promise<void> {
    try {
      await this.subscriber.unsubscribe(this.redisName(name));
    } catch (error) {
      // Disconnected: the channel is gone with the connection, and it is no longer among those restored.
      this.log.warn('cluster bus: could not leave a channel', { channel: name, error: String(error) });
    }
  }

  private redisName(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  private readonly onMessage = (channel: Buffer, message: Buffer): void => {
    const name = channel.toString('utf8');
    if (!name.startsWith(this.keyPrefix)) return;
    this.subscribers.deliver(name.slice(this.keyPrefix.length), new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  };

  private readonly onClose = (): void => {
    this.connectionLost = true;
  };

  /** After a reconnection: every channel again, confirmed, then the listeners (who refill from the store). */
  private readonly onReady = (): void => {
    if (!this.connectionLost || this.closed) return;
    this.connectionLost = false;
    const names = this.subscribers.names.map((name) => this.redisName(name));
    const restored = names.length > 0 ? this.subscriber.subscribe(...names) : Promise.resolve();
    restored.then(
      () => {
        this.reconnects++;
        this.log.info('cluster bus: reconnected to Redis', { channels: names.length });
        for (const listener of this.reconnectListeners) listener();
      },
      (error: unknown) => {
        // Not restored: start the cycle again rather than listen on a connection that misses channels.
        this.log.error('cluster bus: could not restore subscriptions; reconnecting', { error: String(error) });
        this.connectionLost = true;
        // Already gone again: ioredis is reconnecting by itself, and the next 'ready' restores the channels.
        if (this.subscriber.status === 'ready') this.subscriber.disconnect(true);
      },
    );
  };
}
