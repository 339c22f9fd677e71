/**
 * Connections to Redis with the timeouts of RedisConfig: a command never
 * waits longer than `commandTimeoutMs` (queued while disconnected included;
 * kept by redis-command-deadlines.ts, and on the bus's publisher by
 * publish-pipeline.ts, neither failing an answer a busy relay had not read),
 * and a lost connection is retried forever with a capped backoff. Redis
 * carries counts, tickets and frames between relays; it is never the only
 * copy of anything that must last (docs/SCALING.md, "Redis").
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../config.js';
import type { RedisConfig } from './redis-config.js';
import { RedisWithDeadlines } from './redis-command-deadlines.js';

/**
 * What the connection is for, in its client name (`CLIENT LIST` shows it) and in log lines. The cluster bus
 * publishes on a connection of its own, whose command timeout it keeps itself, per flush (publish-pipeline.ts).
 */
export type RedisRole = 'commands' | 'subscriber' | 'publisher';

let opened = 0;

/** Opens one connection (it connects in the background; commands wait for it up to the command timeout). */
export function connectRedis(config: RedisConfig, role: RedisRole, log: Logger): Redis {
  const options: RedisOptions = {
    // Unique per connection, so an operator (or a test) can pick one out of CLIENT LIST.
    connectionName: `${config.keyPrefix}${role}:${process.pid}:${++opened}`,
    connectTimeout: config.connectTimeoutMs,
    // A command fails after one reconnection attempt rather than after 20: the caller decides what to do.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** (attempt - 1), config.reconnectMaxDelayMs),
    // The subscriber restores its channels itself, then says so (redis-cluster-bus.ts): the order matters there.
    autoResubscribe: role !== 'subscriber',
  };
  // Neither uses ioredis' timer per command (judged before a held relay read the answer): the publisher's pipeline
  // keeps the timeout itself, the others' by redis-command-deadlines.ts, each with one interval.
  const redis =
    role === 'publisher' ? new Redis(config.url, options) : new RedisWithDeadlines(config.url, options, config.commandTimeoutMs);
  let lastError = '';
  redis.on('error', (error: Error) => {
    // Reconnection attempts repeat the same error; say it once per outage.
    if (error.message === lastError) return;
    lastError = error.message;
    log.warn('redis connection error', { role, error: error.message });
  });
  redis.on('ready', () => {
    if (lastError) log.info('redis connection back', { role });
    lastError = '';
  });
  return redis;
}

/** Closes a connection politely if it is up, at once if not (so shutdown never waits on a dead Redis). */
export async function disconnectRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
