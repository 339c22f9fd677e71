/**
 * This relay process's identity and lease in PostgreSQL (`relay_process`):
 * it owns its documents while its lease runs, and renews it five times per
 * lease on PostgreSQL's clock (`now()`), so no two machines' clocks are ever
 * compared. A lease that could not be renewed in time is lost: every
 * listener hears it (the document log forgets its claims, the server drops
 * its rooms), and the process goes on under a new identity, claiming
 * documents afresh. Safety never rests on the lease, only on the epoch
 * fence of each append (postgres-document-log.ts); the lease decides who
 * may claim a document, and when.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

export interface ProcessLeaseOptions {
  leaseMs: number;
  /** Default: five renewals per lease. */
  renewEveryMs?: number;
  /** Where renewal failures go. */
  log?: { warn(message: string, context?: Record<string, unknown>): void };
}

export class ProcessLease {
  private identity: string;
  /** Until when, on this process's monotonic clock, the lease surely runs (measured from before the renewal was sent). */
  private localDeadline = 0;
  private renewing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly lostListeners = new Set<(lostIdentity: string) => void>();
  private readonly beforeRegisterHooks = new Set<(identity: string) => Promise<void>>();
  private closed = false;
  /** Renewals so far, by outcome (metrics): renewed in time, failed (PostgreSQL did not answer), lost. */
  readonly renewals = { renewed: 0, failed: 0, lost: 0 };

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: ProcessLeaseOptions,
  ) {
    this.identity = randomUUID();
  }

  /**
   * Registers a new process and its first lease; fails if PostgreSQL does not answer. `pool` is best the lease's own
   * (postgres-storage.ts): a renewal queued behind the relay's other statements waits for them.
   */
  static async start(pool: pg.Pool, options: ProcessLeaseOptions): Promise<ProcessLease> {
    const lease = new ProcessLease(pool, options);
    await lease.register();
    lease.timer = setInterval(lease.tick, options.renewEveryMs ?? Math.max(1, Math.floor(options.leaseMs / 5)));
    lease.timer.unref();
    return lease;
  }

  /** This process's identity now (a new one after a lost lease). */
  get id(): string {
    return this.identity;
  }

  /** Whether the lease surely still runs, by this process's clock. */
  get alive(): boolean {
    return performance.now() < this.localDeadline;
  }

  /** Calls `listener` with the identity whose lease was lost; returns the unsubscribe function. */
  onLost(listener: (lostIdentity: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Awaits `hook` with each new identity after a lost lease, before its row
   * exists (so before any document can be claimed under it): the cluster
   * listens on that identity's inbox first, and no frame for a document it
   * owns finds nobody listening. A hook that fails is logged, and the
   * identity registered all the same (documents of this relay's own clients
   * need no inbox). Returns the function that removes it.
   */
  beforeRegister(hook: (identity: string) => Promise<void>): () => void {
    this.beforeRegisterHooks.add(hook);
    return () => this.beforeRegisterHooks.delete(hook);
  }

  /** Renews the lease now (the timer does it on its own; tests call it to move on without waiting). */
  renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** Stops renewing and ends the lease at once, so others may claim this process's documents without waiting. */
  async release(): Promise<void> {
    this.stop();
    await this.renewing;
    this.localDeadline = 0;
    await this.pool.query('UPDATE relay_process SET lease_until = now() WHERE id = $1', [this.identity]);
  }

  /** Stops renewing without ending the lease (a process that dies; tests of expiry). */
  stop(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    // Rows of processes long gone are only history: a document whose owner row is gone is simply unowned.
    await this.pool.query("DELETE FROM relay_process WHERE lease_until < now() - interval '1 hour'");
    const sentAt = performance.now();
    await this.pool.query(
      `INSERT INTO relay_process (id, lease_until) VALUES ($1, now() + make_interval(secs => $2::double precision / 1000))`,
      [this.identity, this.options.leaseMs],
    );
    this.localDeadline = sentAt + this.options.leaseMs;
  }

  private async runBeforeRegister(identity: string): Promise<void> {
    for (const hook of this.beforeRegisterHooks) {
      try {
        await hook(identity);
      } catch (error) {
        this.options.log?.warn('preparing a new relay identity failed; registering it all the same', {
          process: identity,
          error: String(error),
        });
      }
    }
  }

  /**
   * The interval runs in the timers phase of a turn of the event loop, before the phase that reads sockets: after the
   * main thread was held (a loaded machine), a renewal PostgreSQL answered in time may be waiting unread. The check
   * waits for `setImmediate`, after this turn has read it (docs/SCALING.md, "Timeouts").
   */
  private readonly tick = (): void => {
    setImmediate(this.check);
  };

  private readonly check = (): void => {
    if (this.closed) return;
    // Checked on every tick, not only when a renewal returns: one that hangs (PostgreSQL unresponsive) must not keep
    // a lapsed lease looking alive.
    if (!this.alive) this.lose();
    void this.renew();
  };

  private async renewOnce(): Promise<void> {
    if (this.closed) return;
    if (!this.alive) this.lose();
    try {
      if (this.localDeadline === 0) {
        // Lost earlier: go on as a new process (the old identity's documents are claimable by anyone, this one included).
        this.identity = randomUUID();
        await this.runBeforeRegister(this.identity);
        await this.register();
        // Operators (and the cluster tests) match `doc.owner` to a process by this line and the one at start.
        this.options.log?.warn('relay lease lost earlier: going on as a new process', { process: this.identity });
        return;
      }
      const sentAt = performance.now();
      // Only a running lease is extended: one that lapsed may already have been taken over.
      const { rowCount } = await this.pool.query(
        `UPDATE relay_process SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
          WHERE id = $1 AND lease_until > now()`,
        [this.identity, this.options.leaseMs],
      );
      // Given up while this renewal was under way (its deadline passed): the listeners were told, and that stands.
      if (this.localDeadline === 0) return;
      if (rowCount === 1) {
        this.localDeadline = sentAt + this.options.leaseMs;
        this.renewals.renewed++;
      } else this.lose();
    } catch (error) {
      this.renewals.failed++;
      this.options.log?.warn('renewing the relay lease failed', { process: this.identity, error: String(error) });
      if (!this.alive) this.lose();
    }
  }

  private lose(): void {
    if (this.localDeadline === 0) return;
    this.localDeadline = 0;
    this.renewals.lost++;
    this.options.log?.warn('this relay lost its lease: its documents are dropped', { process: this.identity });
    for (const listener of this.lostListeners) listener(this.identity);
  }
}
