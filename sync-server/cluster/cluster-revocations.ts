/**
 * Revocations (relay/revocation.ts) for a cluster: applied on this relay at
 * once, whatever Redis does, and published on the bus so every other relay
 * closes the sockets it holds for that session or member within a moment.
 * Each relay applies what it hears, its own publications included (closing
 * is idempotent). Redis is not the only copy here either: the session or
 * membership is gone from the store, so a socket that opens later is refused
 * by the relay's own checks; what the bus adds is cutting off the open ones.
 */
import type { Logger } from '../config.js';
import type { Revocation, SocketRevoker } from '../relay/revocation.js';
import { revocationChannel } from './bus-channels.js';
import type { BusSubscription, ClusterBus } from './cluster-bus.js';

export class ClusterRevocations implements SocketRevoker {
  private subscription: BusSubscription | undefined;

  private constructor(
    private readonly bus: ClusterBus,
    private readonly local: SocketRevoker,
    private readonly log: Logger,
  ) {}

  /** Listens for other relays' revocations (resolves once it does) and applies them to `local`, this relay. */
  static async start(bus: ClusterBus, local: SocketRevoker, log: Logger): Promise<ClusterRevocations> {
    const revocations = new ClusterRevocations(bus, local, log);
    revocations.subscription = await bus.subscribe(revocationChannel, (revocation) => local.revoke(revocation));
    return revocations;
  }

  revoke(revocation: Revocation): void {
    this.local.revoke(revocation);
    this.bus.publish(revocationChannel, revocation).catch((error: unknown) => {
      this.log.error('could not tell the other relays of a revocation; their sockets stay open until the store refuses them', {
        kind: revocation.kind,
        error: String(error),
      });
    });
  }

  async close(): Promise<void> {
    await this.subscription?.unsubscribe();
  }
}
