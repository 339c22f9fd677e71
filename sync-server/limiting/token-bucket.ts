/**
 * A token bucket: `burst` frames (or bytes) at once, refilled at
 * `perSecond`. Lets a client hand over a backlog (a reconnect after a day
 * offline) while bounding what it can keep up.
 */

export interface TokenBucketConfig {
  /** Tokens when full: frames accepted back to back. */
  burst: number;
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly config: TokenBucketConfig,
    now: number,
  ) {
    this.tokens = config.burst;
    this.updatedAt = now;
  }

  /** Takes `cost` tokens (one by default); false, taking none, when the bucket holds fewer. */
  take(now: number, cost = 1): boolean {
    if (!this.holds(now, cost)) return false;
    this.tokens -= cost;
    return true;
  }

  /** Whether the bucket holds at least `cost` tokens now. */
  holds(now: number, cost: number): boolean {
    this.refill(now);
    return this.tokens >= cost;
  }

  /**
   * Takes `cost` tokens even when that leaves the bucket in debt: for a cost
   * known only after the fact (the bytes an accepted update really stored).
   */
  spend(now: number, cost: number): void {
    this.refill(now);
    this.tokens -= cost;
  }

  /** Whether the bucket is full again (and can be forgotten). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.config.burst;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.config.burst, this.tokens + (elapsed * this.config.perSecond) / 1000);
    this.updatedAt = now;
  }
}
