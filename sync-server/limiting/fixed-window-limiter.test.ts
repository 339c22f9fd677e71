import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from './fixed-window-limiter.js';

// The behaviour both homes share is rate-limiter.contract.ts; this is the window's arithmetic on a clock the test moves.
describe('MemoryRateLimiter', () => {
  it('allows the limit per window, then says how long to wait', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ limit: 2, windowMs: 60_000 }, () => now);
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(true);
    now = 15_000;
    expect(await limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect((await limiter.consume('b')).allowed).toBe(true);
    now = 60_000;
    expect((await limiter.consume('a')).allowed).toBe(true);
  });
});
