/**
 * Revocations (relay/revocation.ts) for a cluster: applied on this relay at
 * once, whatever Redis or PostgreSQL do, then sent to every other relay by
 * two paths. The bus (Redis pub/sub) is the fast one: milliseconds. The
 * revocation log (PostgreSQL, revocation-log.ts) is the one that does not
 * depend on Redis: every relay re-reads it twice a second, so the cut-off
 * holds within 1 s while Redis is down. Applying a revocation twice (both
 * paths, or this relay's own) closes nothing more: closing is idempotent.
 * The session or membership is already gone from the store, so a socket
 * opened later is refused by the relay's own checks; what these paths add is
 * cutting off the sockets already open.
 */
import type { Logger } from '../config.js';
import type { Revocation, SocketRevoker } from '../relay/revocation.js';
import { revocationChannel } from './bus-channels.js';
import type { BusSubscription, ClusterBus } from './cluster-bus.js';
import type { RevocationLog } from './revocation-log.js';

/** How often the revocation log is read: twice within the 1 s a cut-off may take. */
export const REVOCATION_POLL_MS = 500;
/** A revocation read from the log is remembered this long (twice the log's window), so it is applied once. */
const REMEMBER_MS = 20_000;
/** Old rows are deleted every this many reads (about a minute). */
const PRUNE_EVERY = 120;

export interface RevocationPaths {
  bus?: ClusterBus;
  log?: RevocationLog;
}

export class ClusterRevocations implements SocketRevoker {
  private subscription: BusSubscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private readonly appliedFromLog = new Map<string, number>();
  private reads = 0;
  private logFailing = false;
  private closed = false;

  private constructor(
    private readonly local: SocketRevoker,
    private readonly paths: RevocationPaths,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  /** Listens on every path given (resolves once the bus does) and applies what arrives to `local`, this relay. */
  static async start(
    local: SocketRevoker,
    paths: RevocationPaths,
    logger: Logger,
    pollMs = REVOCATION_POLL_MS,
  ): Promise<ClusterRevocations> {
    const revocations = new ClusterRevocations(local, paths, logger, pollMs);
    if (paths.bus) revocations.subscription = await paths.bus.subscribe(revocationChannel, (revocation) => local.revoke(revocation));
    if (paths.log) revocations.schedule();
    return revocations;
  }

  revoke(revocation: Revocation): void {
    this.local.revoke(revocation);
    this.paths.bus?.publish(revocationChannel, revocation).catch((error: unknown) => this.failed('the bus', revocation, error));
    this.paths.log?.record(revocation).catch((error: unknown) => this.failed('the revocation log', revocation, error));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.reading;
    await this.subscription?.unsubscribe();
  }

  private failed(path: string, revocation: Revocation, error: unknown): void {
    this.logger.error(`could not send a revocation through ${path}; the other path still carries it`, {
      kind: revocation.kind,
      error: String(error),
    });
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.reading = this.readLog().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  private async readLog(): Promise<void> {
    const log = this.paths.log;
    if (!log) return;
    const now = Date.now();
    try {
      for (const { id, revocation } of await log.recent()) {
        if (this.appliedFromLog.has(id)) continue;
        this.appliedFromLog.set(id, now);
        this.local.revoke(revocation);
      }
      if (++this.reads % PRUNE_EVERY === 0) await log.prune();
      if (this.logFailing) this.logger.info('the revocation log answers again');
      this.logFailing = false;
    } catch (error) {
      if (!this.logFailing) this.logger.warn('cannot read the revocation log; retrying', { error: String(error) });
      this.logFailing = true;
    }
    for (const [id, appliedAt] of this.appliedFromLog) {
      if (now - appliedAt > REMEMBER_MS) this.appliedFromLog.delete(id);
    }
  }
}
