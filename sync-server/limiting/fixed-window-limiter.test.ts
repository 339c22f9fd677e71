import { describe, expect, it } from 'vitest';
import { RateLimiter } from './fixed-window-limiter.js';

describe('RateLimiter', () => {
  it('allows the limit per window, then says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000 }, () => now);
    expect(limiter.consume('a').allowed).toBe(true);
    expect(limiter.consume('a').allowed).toBe(true);
    now = 15_000;
    expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.consume('b').allowed).toBe(true);
    now = 60_000;
    expect(limiter.consume('a').allowed).toBe(true);
  });

  it('forgets a key on reset', () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000 }, () => 0);
    limiter.consume('a');
    expect(limiter.consume('a').allowed).toBe(false);
    limiter.reset('a');
    expect(limiter.consume('a').allowed).toBe(true);
  });

  it('counts a cost of several attempts at once', () => {
    const limiter = new RateLimiter({ limit: 5, windowMs: 60_000 }, () => 0);
    expect(limiter.consume('a', 3).allowed).toBe(true);
    expect(limiter.consume('a', 2).allowed).toBe(true);
    expect(limiter.consume('a', 1).allowed).toBe(false);
  });
});
