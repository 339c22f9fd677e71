/**
 * A token bucket: `burst` frames at once, refilled at `perSecond`. Lets a
 * client hand over a backlog (a reconnect after a day offline) while
 * bounding what it can keep up.
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

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
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
