/**
 * The fixed-window rate limit (limiting/rate-limiter.ts) counted in Redis,
 * so every relay of a cluster shares one count per key. The same window as
 * in memory: it starts with a key's first attempt and lasts `windowMs`; the
 * count and the window's start are set by one Lua script, so two relays
 * counting at once can neither lose an attempt nor leave a key without expiry.
 *
 * When Redis does not answer (down, or slower than the command timeout), the
 * attempt is counted in this process instead: limits loosen to one relay's
 * during an outage, they never vanish and never refuse everyone.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger, RateLimitConfig } from '../config.js';
import { MemoryRateLimiter } from '../limiting/fixed-window-limiter.js';
import { type RateLimiter, type RateLimitResult, verdict } from '../limiting/rate-limiter.js';

/** KEYS[1] the counter; ARGV[1] the cost, ARGV[2] the window. Returns {count, milliseconds left in the window}. */
const CONSUME_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return {count, left}`;

export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;
  private failing = false;

  /** `name` keeps each limit's keys apart (`<prefix>rate:<name>:<hash of key>`). */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly name: string,
    private readonly config: RateLimitConfig,
    private readonly log: Logger,
  ) {
    this.fallback = new MemoryRateLimiter(config);
  }

  async consume(key: string, cost = 1): Promise<RateLimitResult> {
    try {
      const [count, left] = (await this.redis.eval(CONSUME_SCRIPT, 1, this.redisKey(key), cost, this.config.windowMs)) as [number, number];
      this.failing = false;
      return verdict(count, this.config.limit, left);
    } catch (error) {
      this.warnOnce(error);
      return this.fallback.consume(key, cost);
    }
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    try {
      await this.redis.del(this.redisKey(key));
    } catch (error) {
      this.warnOnce(error);
    }
  }

  /** Keys are hashed: email and IP addresses do not leave the process in clear text, and every key has one length. */
  private redisKey(key: string): string {
    const digest = createHash('sha256').update(key).digest('base64url').slice(0, 22);
    return `${this.keyPrefix}rate:${this.name}:${digest}`;
  }

  private warnOnce(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.log.warn('redis rate limit unavailable; counting in this process until it answers', { limit: this.name, error: String(error) });
  }
}
