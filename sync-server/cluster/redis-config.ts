/**
 * Redis settings from the environment (README, "Configuration";
 * docs/SCALING.md, "Redis"). No REDIS_URL, no Redis: the server keeps its
 * rate limits, widget tickets and revocations in this process, as always.
 */

export interface RedisConfig {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Put before every key and channel name, so several deployments (or tests) can share one Redis. */
  keyPrefix: string;
  /** Give up on one connection attempt after this long (then retry with backoff). */
  connectTimeoutMs: number;
  /** A command without an answer after this long fails (the caller falls back or refuses; nothing waits forever). */
  commandTimeoutMs: number;
  /** Longest pause between two reconnection attempts (they start at 50 ms and double). */
  reconnectMaxDelayMs: number;
}

type IntFromEnv = (env: NodeJS.ProcessEnv, name: string, fallback: number) => number;

export const DEFAULT_REDIS_PREFIX = 'happy-chat:';

/** The Redis settings, or undefined when REDIS_URL is unset (one process, everything in memory). */
export function redisConfigFromEnv(env: NodeJS.ProcessEnv, intFromEnv: IntFromEnv): RedisConfig | undefined {
  const url = env.REDIS_URL || undefined;
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss://, got "${url}"`);
  return {
    url,
    keyPrefix: env.REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX,
    connectTimeoutMs: intFromEnv(env, 'REDIS_CONNECT_TIMEOUT_MS', 2000),
    commandTimeoutMs: intFromEnv(env, 'REDIS_COMMAND_TIMEOUT_MS', 1000),
    reconnectMaxDelayMs: intFromEnv(env, 'REDIS_RECONNECT_MAX_DELAY_MS', 2000),
  };
}
