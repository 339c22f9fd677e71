/**
 * A fixed-window rate limit per key: at most `limit` attempts in a window of
 * `windowMs` that starts with a key's first attempt. One interface, two homes:
 * in this process's memory (fixed-window-limiter.ts, the default) or in Redis
 * (cluster/redis-fixed-window-limiter.ts, when REDIS_URL is set), so that N
 * relays share one count. Asynchronous because the shared count is a round trip.
 */

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the key may try again (for `Retry-After`); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one attempt for `key`, or `cost` of them (e.g. one per person added). */
  consume(key: string, cost?: number): Promise<RateLimitResult>;
  /** Forgets a key, e.g. after a successful sign-in. */
  reset(key: string): Promise<void>;
}

/** The verdict of a window that holds `count` attempts and ends in `remainingMs`: one rule for both homes. */
export function verdict(count: number, limit: number, remainingMs: number): RateLimitResult {
  const allowed = count <= limit;
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(remainingMs / 1000)) };
}
