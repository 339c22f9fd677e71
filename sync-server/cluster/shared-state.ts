/**
 * What the relays of a cluster share, chosen once at start: with REDIS_URL,
 * rate limits, widget tickets and revocations go through Redis; without it,
 * they stay in this process's memory and the relay revokes its own sockets,
 * exactly as a single server always has. With DATABASE_URL, revocations are
 * also kept in PostgreSQL's revocation log, which every relay reads. server.ts asks this module and
 * never which of the two it got.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger, RateLimitConfig } from '../config.js';
import { MemoryRateLimiter } from '../limiting/fixed-window-limiter.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import type { SocketRevoker } from '../relay/revocation.js';
import { MemorySyncTickets } from '../widget/memory-sync-tickets.js';
import type { SyncTickets } from '../widget/sync-tickets.js';
import type { ClusterBus } from './cluster-bus.js';
import { ClusterRevocations } from './cluster-revocations.js';
import type { RedisConfig } from './redis-config.js';
import { RevocationLog } from './revocation-log.js';
import { connectRedis, disconnectRedis } from './redis-connection.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { RedisRateLimiter } from './redis-fixed-window-limiter.js';
import { RedisSyncTickets } from './redis-sync-tickets.js';

export interface SharedState {
  /** A limit; `name` keeps its counts apart from the other limits'. */
  rateLimiter(name: string, config: RateLimitConfig): RateLimiter;
  readonly tickets: SyncTickets;
  /** The bus between relays (Redis); null without REDIS_URL, where no relay forwards to another (edges need it). */
  readonly bus: ClusterBus | null;
  /**
   * What services call to cut sockets off: `relay` alone, or `relay` and
   * every other relay, through Redis and, given the PostgreSQL `pool` the
   * relays share, through the revocation log too.
   */
  revoker(relay: SocketRevoker, pool?: pg.Pool): Promise<SocketRevoker>;
  close(): Promise<void>;
}

function inMemory(log: Logger): SharedState {
  let revocations: ClusterRevocations | undefined;
  return {
    rateLimiter: (_name, config) => new MemoryRateLimiter(config),
    tickets: new MemorySyncTickets(),
    bus: null,
    async revoker(relay, pool) {
      // Relays that share PostgreSQL without Redis still tell each other through the log.
      if (!pool) return relay;
      revocations = await ClusterRevocations.start(relay, { log: new RevocationLog(pool) }, log);
      return revocations;
    },
    close: async () => revocations?.close(),
  };
}

/** Pings at start: how many times before Redis counts as not answering. */
const START_PINGS = 3;

/**
 * A starting process may be too busy to read an answer within the command
 * timeout (a relay compiling its modules beside two others on two cores): its
 * timer fires first though Redis answered. Only a Redis that misses every one
 * of a few pings does not answer.
 */
async function pingAtStart(commands: Redis): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await commands.ping();
      return;
    } catch (error) {
      if (attempt >= START_PINGS) throw error;
    }
  }
}

async function inRedis(config: RedisConfig, log: Logger): Promise<SharedState> {
  const commands = connectRedis(config, 'commands', log);
  const subscriber = connectRedis(config, 'subscriber', log);
  const publisher = connectRedis(config, 'publisher', log);
  const disconnect = () => Promise.all([commands, subscriber, publisher].map(disconnectRedis));
  try {
    // Fail at start, loudly, rather than serve with limits and tickets that silently fall back.
    await pingAtStart(commands);
  } catch (error) {
    await disconnect();
    throw new Error(`REDIS_URL is set but Redis does not answer (${String(error)})`);
  }
  const bus = new RedisClusterBus(publisher, subscriber, config.keyPrefix, log, config.commandTimeoutMs);
  let revocations: ClusterRevocations | undefined;
  log.info('sharing rate limits, widget tickets and revocations through Redis', { prefix: config.keyPrefix });
  return {
    rateLimiter: (name, limit) => new RedisRateLimiter(commands, config.keyPrefix, name, limit, log),
    tickets: new RedisSyncTickets(commands, config.keyPrefix),
    bus,
    async revoker(relay, pool) {
      revocations = await ClusterRevocations.start(relay, { bus, log: pool ? new RevocationLog(pool) : undefined }, log);
      return revocations;
    },
    async close() {
      await revocations?.close();
      await bus.close();
      await disconnect();
    },
  };
}

/** The shared parts for this configuration (Redis when `redis` is set). */
export function openSharedState(redis: RedisConfig | undefined, log: Logger): Promise<SharedState> {
  return redis ? inRedis(redis, log) : Promise.resolve(inMemory(log));
}
