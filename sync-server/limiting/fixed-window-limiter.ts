/**
 * A fixed-window counter per key, in memory (rate-limiter.ts): enough for one
 * process, and the default. The window and limit come from configuration
 * (see README); a cluster shares its counts in Redis instead
 * (cluster/redis-fixed-window-limiter.ts).
 */
import type { RateLimitConfig } from '../config.js';
import { type RateLimiter, type RateLimitResult, verdict } from './rate-limiter.js';

interface Window {
  startedAt: number;
  count: number;
}

/** Above this many keys, expired windows are swept so memory stays bounded. */
const SWEEP_THRESHOLD = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(key: string, cost = 1): Promise<RateLimitResult> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.config.windowMs) {
      if (this.windows.size >= SWEEP_THRESHOLD) this.sweep(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += cost;
    return verdict(window.count, this.config.limit, window.startedAt + this.config.windowMs - now);
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.config.windowMs) this.windows.delete(key);
    }
  }
}
