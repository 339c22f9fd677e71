/**
 * A fixed-window counter per key, in memory. Enough for one process; the
 * window and limit come from configuration (see README).
 */
import type { RateLimitConfig } from '../config.js';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the key may try again (for `Retry-After`). */
  retryAfterSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/** Above this many keys, expired windows are swept so memory stays bounded. */
const SWEEP_THRESHOLD = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt for `key`, or `cost` of them (e.g. one per person added). */
  consume(key: string, cost = 1): RateLimitResult {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.config.windowMs) {
      if (this.windows.size >= SWEEP_THRESHOLD) this.sweep(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += cost;
    const allowed = window.count <= this.config.limit;
    const retryAfterSeconds = allowed ? 0 : Math.ceil((window.startedAt + this.config.windowMs - now) / 1000);
    return { allowed, retryAfterSeconds };
  }

  /** Forgets a key, e.g. after a successful login. */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.config.windowMs) this.windows.delete(key);
    }
  }
}
