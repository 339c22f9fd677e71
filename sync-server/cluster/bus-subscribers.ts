/**
 * The handlers one bus node holds per channel, and delivery of a message's
 * bytes to them: decoded once per handler's channel, dropped (and logged) when
 * the bytes are not a message of that channel. Shared by both buses.
 */
import type { Logger } from '../config.js';
import type { BusChannel } from './cluster-bus.js';

type Delivery = (bytes: Uint8Array) => void;

export class BusSubscribers {
  private readonly byName = new Map<string, Set<Delivery>>();

  constructor(private readonly log: Logger) {}

  /** Adds a handler; `first` says the channel had none (the node must join it). `remove` says whether it was the last. */
  add<T>(channel: BusChannel<T>, handler: (message: T) => void): { first: boolean; remove(): boolean } {
    const delivery: Delivery = (bytes) => {
      const message = channel.decode(bytes);
      if (message === null) {
        this.log.warn('cluster bus: dropped a message that is not one of its channel', { channel: channel.name, bytes: bytes.length });
        return;
      }
      try {
        handler(message);
      } catch (error) {
        this.log.error('cluster bus: a handler failed', { channel: channel.name, error: String(error) });
      }
    };
    let handlers = this.byName.get(channel.name);
    const first = handlers === undefined;
    if (!handlers) {
      handlers = new Set();
      this.byName.set(channel.name, handlers);
    }
    handlers.add(delivery);
    return {
      first,
      remove: () => {
        const current = this.byName.get(channel.name);
        if (!current?.delete(delivery)) return false;
        if (current.size > 0) return false;
        this.byName.delete(channel.name);
        return true;
      },
    };
  }

  /** Channel names with at least one handler. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  deliver(name: string, bytes: Uint8Array): void {
    for (const delivery of this.byName.get(name) ?? []) delivery(bytes);
  }

  clear(): void {
    this.byName.clear();
  }
}
