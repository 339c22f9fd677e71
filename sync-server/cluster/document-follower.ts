/**
 * Follows one document's committed batches on the cluster bus, as an edge
 * (a relay holding sockets to a document another relay owns) must: it
 * subscribes first and reads the store second (the join race: a batch
 * committed in between is then seen twice, never missed), keeps the clock it
 * has reached, drops what it already has, and refills from the store, never
 * from Redis, when a batch skips ahead (a message lost) or the bus reconnects
 * (messages lost while it was away). Yjs updates are idempotent, so a refill
 * that overlaps what was applied costs bytes, not correctness; a gap would
 * cost data, so there is none. A refill the store fails is tried again
 * shortly; a first read it fails makes `start` fail, since the caller then
 * has nothing to follow from.
 */
import type { Logger } from '../config.js';
import { type ClusterCounters, UNCOUNTED } from '../operations/counters.js';
import { batchChannel, type CommittedBatch } from './bus-channels.js';
import type { BusSubscription, ClusterBus } from './cluster-bus.js';

export interface BatchSource {
  /** What the store holds of `docName` from `fromClock` on, merged into one batch (it may start earlier); null when nothing is newer. */
  readSince(docName: string, fromClock: number): Promise<CommittedBatch | null>;
}

export interface FollowerStats {
  /** Reads from the store after a gap or a reconnect (the initial read not counted). */
  refills: number;
  /** Batches that arrived when the follower already had them (the join race, a refill that went ahead). */
  duplicates: number;
}

/** Rounds of reading one catch-up may take while new gaps keep appearing; then the next batch or reconnect resumes it. */
const MAX_CATCH_UP_ROUNDS = 10;
/** A failed read of the store is tried again after this long. */
const REFILL_RETRY_MS = 500;
/** Batches held while reading the store; past it the oldest go (the store has them). */
const MAX_WAITING = 1000;

export class DocumentFollower {
  readonly stats: FollowerStats = { refills: 0, duplicates: 0 };
  private clock: number;
  private catchingUp = false;
  private readAgain = false;
  private stopped = false;
  private readonly waiting: CommittedBatch[] = [];
  private subscription: BusSubscription | undefined;
  private stopReconnects: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly docName: string,
    private readonly source: BatchSource,
    private readonly apply: (batch: CommittedBatch) => void,
    private readonly log: Logger,
    fromClock: number,
    private readonly counters: ClusterCounters,
  ) {
    this.clock = fromClock;
  }

  /**
   * Subscribes, then reads the store from `fromClock` (the clock the caller's
   * copy has reached), applies it, then what arrived meanwhile. `apply` sees
   * every clock from `fromClock` on, in order.
   */
  static async start(
    bus: ClusterBus,
    docName: string,
    source: BatchSource,
    apply: (batch: CommittedBatch) => void,
    log: Logger,
    fromClock = 0,
    /** Counts refills for `/metrics` (operations/counters.ts). */
    counters: ClusterCounters = UNCOUNTED,
  ): Promise<DocumentFollower> {
    const follower = new DocumentFollower(docName, source, apply, log, fromClock, counters);
    follower.catchingUp = true; // Until the first read is applied, batches wait.
    follower.subscription = await bus.subscribe(batchChannel(docName), follower.receive);
    follower.stopReconnects = bus.onReconnect(() => follower.refill());
    follower.catchingUp = false;
    try {
      await follower.catchUp(true);
    } catch (error) {
      // Without the first read the caller has no state to follow from: it must know, not get an empty copy.
      await follower.stop();
      throw error;
    }
    return follower;
  }

  /** The clock after the last batch applied: the next one must start here. */
  get nextClock(): number {
    return this.clock;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopReconnects?.();
    await this.subscription?.unsubscribe();
  }

  private readonly receive = (batch: CommittedBatch): void => {
    if (this.stopped) return;
    if (this.catchingUp) this.hold(batch);
    else this.accept(batch);
  };

  /** `afterRead`: the store was just read and still lacked what precedes it; wait for the next batch or reconnect rather than read again at once. */
  private accept(batch: CommittedBatch, afterRead = false): void {
    if (batch.toClock <= this.clock) {
      this.stats.duplicates++;
      return;
    }
    if (batch.fromClock === this.clock) {
      this.applyBatch(batch);
      return;
    }
    // It starts past our clock (a batch was lost) or overlaps it oddly: the store has the truth.
    this.hold(batch);
    if (!afterRead) this.refill();
  }

  /** Keeps a batch until the store has been read; bounded, since everything held is in the store anyway. */
  private hold(batch: CommittedBatch): void {
    if (this.waiting.length >= MAX_WAITING) this.waiting.shift();
    this.waiting.push(batch);
  }

  /** Reads the store again from the clock reached (an edge's timer: a lost batch with no later one to reveal it). */
  refill(): void {
    if (this.stopped) return;
    this.stats.refills++;
    this.counters.refilled();
    if (this.catchingUp) {
      this.readAgain = true;
      return;
    }
    void this.catchUp();
  }

  /** `initial`: the first read, whose failure is the caller's to handle (rethrown). */
  private async catchUp(initial = false): Promise<void> {
    this.catchingUp = true;
    try {
      for (let round = 0; round < MAX_CATCH_UP_ROUNDS && !this.stopped; round++) {
        this.readAgain = false;
        const stored = await this.source.readSince(this.docName, this.clock);
        if (stored && stored.fromClock <= this.clock && stored.toClock > this.clock) this.applyBatch(stored);
        if (!this.readAgain) break;
      }
    } catch (error) {
      if (initial) throw error;
      // The store did not answer: try again shortly (sooner if another gap or a reconnect asks).
      this.log.error('document follower: reading the store failed', { doc: this.docName, error: String(error) });
      this.retryLater();
    } finally {
      this.catchingUp = false;
    }
    const waiting = this.waiting.splice(0).sort((a, b) => a.fromClock - b.fromClock);
    for (const [index, batch] of waiting.entries()) {
      if (this.catchingUp) {
        this.waiting.push(...waiting.slice(index));
        break;
      }
      this.accept(batch, true);
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.refill();
    }, REFILL_RETRY_MS);
    this.retryTimer.unref();
  }

  private applyBatch(batch: CommittedBatch): void {
    this.clock = batch.toClock;
    this.apply(batch);
  }
}
