/**
 * The real Redis for a test (REDIS_URL, else 127.0.0.1:6379), with a key
 * prefix of its own so tests running at once never see each other's keys or
 * channels. Every connection a test opened is closed after it and every key
 * under its prefix deleted. Call at the top of a test file (it registers
 * vitest hooks). There is no skipping: without Redis the tests fail.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import type { RedisConfig } from '../cluster/redis-config.js';
import { connectRedis, disconnectRedis, type RedisRole } from '../cluster/redis-connection.js';
import { quietLogger } from './quiet-logger.js';

/** The tests' Redis: never the deployment's `REDIS_URL`, so running the suite cannot touch a live Redis by accident. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestRedisHandle {
  /** Settings for this test: its own prefix, short timeouts. */
  readonly config: RedisConfig;
  /** A new connection, closed after the test. */
  connect(role?: RedisRole): Redis;
  /** The keys under this test's prefix. */
  keys(): Promise<string[]>;
  /** Has Redis drop a connection (CLIENT KILL), as a network failure or a Redis restart would; ioredis then reconnects it. */
  kill(connection: Redis): Promise<void>;
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  // SCAN is bounded: a test makes a few hundred keys at most.
  for (let round = 0; round < 10_000; round++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return found;
}

export function useTestRedis(): TestRedisHandle {
  let config: RedisConfig | undefined;
  let admin: Redis | undefined;
  const connections: Redis[] = [];

  beforeEach(() => {
    config = {
      url: TEST_REDIS_URL,
      keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 1000,
      reconnectMaxDelayMs: 200,
    };
    admin = connectRedis(config, 'commands', quietLogger);
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map(disconnectRedis));
    if (admin && config) {
      const keys = await keysUnder(admin, config.keyPrefix);
      if (keys.length > 0) await admin.del(...keys);
      await disconnectRedis(admin);
    }
    admin = undefined;
  });

  const current = (): RedisConfig => {
    if (!config) throw new Error('test Redis settings exist only while a test runs');
    return config;
  };

  return {
    get config() {
      return current();
    },
    connect(role = 'commands') {
      const redis = connectRedis(current(), role, quietLogger);
      connections.push(redis);
      return redis;
    },
    keys() {
      if (!admin) throw new Error('test Redis is open only while a test runs');
      return keysUnder(admin, current().keyPrefix);
    },
    async kill(connection) {
      if (!admin) throw new Error('test Redis is open only while a test runs');
      const name = connection.options.connectionName;
      const clients = String(await admin.client('LIST'));
      const line = clients.split('\n').find((l) => l.includes(` name=${name} `));
      const id = line?.match(/^id=(\d+) /)?.[1];
      if (!id) throw new Error(`no Redis client named ${name}`);
      await admin.client('KILL', 'ID', id);
    },
  };
}
