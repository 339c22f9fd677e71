/**
 * The widget ticket contract (sync-tickets.contract.ts) against both homes,
 * and what only the Redis one promises: the key lives as long as the ticket
 * and is named by the ticket's hash, never the ticket.
 */
import { expect, it } from 'vitest';
import { RedisSyncTickets } from '../cluster/redis-sync-tickets.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { MemorySyncTickets } from './memory-sync-tickets.js';
import { syncTicketsContract } from './sync-tickets.contract.js';

const redis = useTestRedis();

syncTicketsContract('in-memory', {
  open: (ttlMs) => new MemorySyncTickets(ttlMs),
  sameStore: (tickets) => tickets,
});

syncTicketsContract('Redis', {
  open: (ttlMs) => new RedisSyncTickets(redis.connect(), redis.config.keyPrefix, ttlMs),
  // Its own connection, as a second relay process has: the race is decided in Redis, not in this process.
  sameStore: () => new RedisSyncTickets(redis.connect(), redis.config.keyPrefix),
});

it('keeps a Redis ticket under its hash, for its lifetime only', async () => {
  const connection = redis.connect();
  const tickets = new RedisSyncTickets(connection, redis.config.keyPrefix);
  const { ticket } = await tickets.issue({ userId: 'alice', sessionId: 's' });
  const keys = await redis.keys();
  expect(keys).toHaveLength(1);
  expect(keys[0]).not.toContain(ticket);
  const left = await connection.pttl(keys[0]);
  expect(left).toBeGreaterThan(25_000);
  expect(left).toBeLessThanOrEqual(30_000);
  await tickets.consume(ticket);
  expect(await redis.keys()).toEqual([]);
});

it('refuses a Redis ticket whose stored value is not an identity', async () => {
  const connection = redis.connect();
  const tickets = new RedisSyncTickets(connection, redis.config.keyPrefix);
  const { ticket } = await tickets.issue({ userId: 'alice', sessionId: 's' });
  const [key] = await redis.keys();
  await connection.set(key, '{"userId":42}');
  expect(await tickets.consume(ticket)).toBeNull();
});
