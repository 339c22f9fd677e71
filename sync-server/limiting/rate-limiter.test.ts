/**
 * The rate limiter contract (rate-limiter.contract.ts) against both homes,
 * and what only the Redis one promises: relays share one count, keys expire
 * with their window and hold no address in clear text, and a Redis that does
 * not answer loosens limits to one process's instead of dropping them.
 */
import { expect, it } from 'vitest';
import { RedisRateLimiter } from '../cluster/redis-fixed-window-limiter.js';
import { connectRedis, disconnectRedis } from '../cluster/redis-connection.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { MemoryRateLimiter } from './fixed-window-limiter.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

const redis = useTestRedis();

rateLimiterContract('in-memory', {
  create: (config) => new MemoryRateLimiter(config),
});

rateLimiterContract('Redis', {
  create: (config, name = 'test') => new RedisRateLimiter(redis.connect(), redis.config.keyPrefix, name, config, quietLogger),
});

it('shares one count between relays (two connections, as two processes would have)', async () => {
  const config = { limit: 10, windowMs: 60_000 };
  const relays = [1, 2].map(() => new RedisRateLimiter(redis.connect(), redis.config.keyPrefix, 'logins', config, quietLogger));
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => relays[i % 2].consume('alice@example.com')));
  expect(results.filter((r) => r.allowed)).toHaveLength(10);
});

it('gives every counter an expiry no longer than its window, and keeps addresses out of key names', async () => {
  const connection = redis.connect();
  const limiter = new RedisRateLimiter(connection, redis.config.keyPrefix, 'logins', { limit: 3, windowMs: 5000 }, quietLogger);
  await limiter.consume('alice@example.com');
  const keys = await redis.keys();
  expect(keys).toHaveLength(1);
  expect(keys[0]).not.toContain('alice');
  const left = await connection.pttl(keys[0]);
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(5000);
});

it('counts in this process while Redis does not answer', async () => {
  // Nothing listens on port 1: every command fails within the timeouts.
  const unreachable = connectRedis(
    { ...redis.config, url: 'redis://127.0.0.1:1', connectTimeoutMs: 200, commandTimeoutMs: 200 },
    'commands',
    quietLogger,
  );
  try {
    const limiter = new RedisRateLimiter(unreachable, redis.config.keyPrefix, 'logins', { limit: 2, windowMs: 60_000 }, quietLogger);
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
  } finally {
    await disconnectRedis(unreachable);
  }
});
