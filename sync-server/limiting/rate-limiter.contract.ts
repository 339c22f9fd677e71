/**
 * The one test suite every rate limiter passes (rate-limiter.ts): the
 * in-memory one and the Redis one. Real time, short windows: a Redis window
 * ends on Redis's clock, which a test cannot move.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../config.js';
import type { RateLimiter } from './rate-limiter.js';

export interface RateLimiterUnderTest {
  /** A limiter with a fresh count (called inside each test, after the file's own `beforeEach`); `name` keeps limits apart. */
  create(config: RateLimitConfig, name?: string): RateLimiter;
}

const MINUTE = 60_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function rateLimiterContract(name: string, subject: RateLimiterUnderTest): void {
  describe(`${name} rate limiter`, () => {
    it('allows the limit per window, then says how long to wait', async () => {
      const limiter = subject.create({ limit: 2, windowMs: MINUTE });
      expect(await limiter.consume('a')).toEqual({ allowed: true, retryAfterSeconds: 0 });
      expect(await limiter.consume('a')).toEqual({ allowed: true, retryAfterSeconds: 0 });
      const refused = await limiter.consume('a');
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await limiter.consume('b')).allowed).toBe(true);
    });

    it('starts a new window once the old one is over, counted from its first attempt', async () => {
      const limiter = subject.create({ limit: 1, windowMs: 1000 });
      const started = Date.now();
      expect((await limiter.consume('a')).allowed).toBe(true);
      await delay(50);
      // Attempts inside the window do not move its end (fixed, not sliding).
      expect(await limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
      await delay(started + 1100 - Date.now());
      expect((await limiter.consume('a')).allowed).toBe(true);
      expect((await limiter.consume('a')).allowed).toBe(false);
    });

    it('counts a cost of several attempts at once', async () => {
      const limiter = subject.create({ limit: 5, windowMs: MINUTE });
      expect((await limiter.consume('a', 3)).allowed).toBe(true);
      expect((await limiter.consume('a', 2)).allowed).toBe(true);
      expect((await limiter.consume('a', 1)).allowed).toBe(false);
    });

    it('forgets a key on reset', async () => {
      const limiter = subject.create({ limit: 1, windowMs: MINUTE });
      await limiter.consume('a');
      expect((await limiter.consume('a')).allowed).toBe(false);
      await limiter.reset('a');
      expect((await limiter.consume('a')).allowed).toBe(true);
    });

    it('lets exactly the limit through when many attempts arrive at once', async () => {
      const limiter = subject.create({ limit: 10, windowMs: MINUTE });
      const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('crowd')));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
    });

    it('keeps limits with different names apart, even for the same key', async () => {
      const logins = subject.create({ limit: 1, windowMs: MINUTE }, 'logins');
      const uploads = subject.create({ limit: 1, windowMs: MINUTE }, 'uploads');
      expect((await logins.consume('alice')).allowed).toBe(true);
      expect((await uploads.consume('alice')).allowed).toBe(true);
      expect((await logins.consume('alice')).allowed).toBe(false);
    });
  });
}
