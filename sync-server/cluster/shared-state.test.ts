/** What the server gets from shared-state.ts: memory without REDIS_URL (npm start as always), Redis with it, and no start without an answer. */
import { expect, it } from 'vitest';
import { MemoryRateLimiter } from '../limiting/fixed-window-limiter.js';
import type { Revocation, SocketRevoker } from '../relay/revocation.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { MemorySyncTickets } from '../widget/memory-sync-tickets.js';
import { ClusterRevocations } from './cluster-revocations.js';
import { RedisRateLimiter } from './redis-fixed-window-limiter.js';
import { RedisSyncTickets } from './redis-sync-tickets.js';
import { openSharedState } from './shared-state.js';

const redis = useTestRedis();

const relay: SocketRevoker = { revoke(_revocation: Revocation) {} };

it('keeps everything in memory without Redis, and the relay revokes its own sockets', async () => {
  const shared = await openSharedState(undefined, quietLogger);
  expect(shared.rateLimiter('logins', { limit: 1, windowMs: 1000 })).toBeInstanceOf(MemoryRateLimiter);
  expect(shared.tickets).toBeInstanceOf(MemorySyncTickets);
  expect(await shared.revoker(relay)).toBe(relay);
  await shared.close();
});

it('shares limits, tickets and revocations through Redis when it is configured', async () => {
  const shared = await openSharedState(redis.config, quietLogger);
  try {
    expect(shared.rateLimiter('logins', { limit: 1, windowMs: 1000 })).toBeInstanceOf(RedisRateLimiter);
    expect(shared.tickets).toBeInstanceOf(RedisSyncTickets);
    expect(await shared.revoker(relay)).toBeInstanceOf(ClusterRevocations);
  } finally {
    await shared.close();
  }
});

it('refuses to start when REDIS_URL is set but Redis does not answer', async () => {
  const unreachable = { ...redis.config, url: 'redis://127.0.0.1:1', connectTimeoutMs: 200, commandTimeoutMs: 300 };
  await expect(openSharedState(unreachable, quietLogger)).rejects.toThrow(/REDIS_URL is set but Redis does not answer/);
});

it('starts when its first ping timed out only because this process was busy (a relay starting beside others on a loaded machine)', async () => {
  const config = { ...redis.config, commandTimeoutMs: 100 };
  const opening = openSharedState(config, quietLogger);
  // The ping is sent; the process then runs past the command timeout before it reads the answer, as a starting
  // relay compiling its modules did. Its timer fires first, though Redis answered: it must be asked again, not refused.
  const busyUntil = Date.now() + 300;
  while (Date.now() < busyUntil) {
    // busy, as a process starting beside two others on two cores
  }
  const shared = await opening;
  try {
    expect(shared.bus).not.toBeNull();
  } finally {
    await shared.close();
  }
});
