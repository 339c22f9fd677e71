/**
 * The PostgreSQL connection pool of a relay in cluster mode (docs/SCALING.md):
 * one `pg.Pool` per process, its size and timeouts from the environment, every
 * connection working in one schema (`DATABASE_SCHEMA`, `public` by default; a
 * test gets its own, testing/use-test-schema.ts).
 */
import pg from 'pg';

export interface PostgresConfig {
  /** `DATABASE_URL`, e.g. `postgres://happy@127.0.0.1:5432/happy`. */
  url: string;
  /** Schema every table lives in; created by the migrations if missing. */
  schema: string;
  /** Most connections this process holds open. */
  poolSize: number;
  /** Give up on opening a connection after this long (the pool is exhausted or PostgreSQL does not answer). */
  connectionTimeoutMs: number;
  /** PostgreSQL cancels any statement that runs longer (`statement_timeout`). */
  statementTimeoutMs: number;
  /** How long a relay's ownership of its documents lasts without a renewal (renewed five times per lease). */
  leaseMs: number;
  /**
   * Group commits of the document log on their way at once (group-append.ts; default 4), each on a connection of
   * its own; never more than the pool less two, so claims always find a connection (lease renewals have a connection
   * of their own outside this pool: postgres-storage.ts).
   */
  groupsInFlight?: number;
}

export const DEFAULT_POSTGRES: Omit<PostgresConfig, 'url'> = {
  schema: 'public',
  poolSize: 10,
  connectionTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  // docs/SCALING.md, "Failover": a dead owner's documents are claimable 3.2–4 s after it died.
  leaseMs: 4_000,
};

/** Group commits on their way at once by default (`DATABASE_GROUPS_IN_FLIGHT`). */
export const DEFAULT_GROUPS_IN_FLIGHT = 4;

/** The groups in flight a pool of this size allows: two connections stay free for claims and the relay's other reads. */
export function groupsInFlightFor(config: Pick<PostgresConfig, 'poolSize' | 'groupsInFlight'>): number {
  return Math.max(1, Math.min(config.groupsInFlight ?? DEFAULT_GROUPS_IN_FLIGHT, config.poolSize - 2));
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema's name, checked: it is written into SQL (identifiers cannot be parameters). */
export function checkedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`DATABASE_SCHEMA must be a lower-case SQL identifier, got "${schema}"`);
  return schema;
}

/** PostgreSQL settings from the environment; undefined when `DATABASE_URL` is unset (the embedded LevelDB app). */
export function postgresConfigFromEnv(
  env: NodeJS.ProcessEnv,
  intFromEnv: (env: NodeJS.ProcessEnv, name: string, fallback: number) => number,
): PostgresConfig | undefined {
  const url = env.DATABASE_URL;
  if (!url) return undefined;
  return {
    url,
    schema: checkedSchema(env.DATABASE_SCHEMA || DEFAULT_POSTGRES.schema),
    poolSize: intFromEnv(env, 'DATABASE_POOL_SIZE', DEFAULT_POSTGRES.poolSize),
    connectionTimeoutMs: intFromEnv(env, 'DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_POSTGRES.connectionTimeoutMs),
    statementTimeoutMs: intFromEnv(env, 'DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_POSTGRES.statementTimeoutMs),
    leaseMs: intFromEnv(env, 'DATABASE_LEASE_MS', DEFAULT_POSTGRES.leaseMs),
    groupsInFlight: intFromEnv(env, 'DATABASE_GROUPS_IN_FLIGHT', DEFAULT_GROUPS_IN_FLIGHT),
  };
}

/** Where pool errors go (a dropped idle connection must be logged, never crash the process). */
export interface PoolLogger {
  error(message: string, context?: Record<string, unknown>): void;
}

/** Opens the pool; connections are made lazily, so this does not fail when PostgreSQL is down. */
export function openPool(config: PostgresConfig, log?: PoolLogger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    // The schema is a startup parameter, so every connection of the pool has it from its first query on.
    options: `-c search_path=${checkedSchema(config.schema)}`,
    application_name: 'happy-chat',
  });
  // Without a listener, an idle connection that PostgreSQL drops (a restart) would throw from the pool.
  pool.on('error', (error) => log?.error('an idle PostgreSQL connection failed', { error: String(error) }));
  // pg also emits a lost connection as an `error` event on a client checked out of the pool, where the pool's own
  // listener is not attached: with nobody listening Node throws it, and the relay process dies (a relay writing when
  // PostgreSQL stopped did). Every connection gets a listener for its whole life. The error is not lost: the statement
  // in flight (or the next one) fails with it, and the pool discards a client that is no longer queryable on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Runs `work` in one transaction on one connection: committed if it returns,
 * rolled back if it throws (the error is rethrown).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's: a connection lost between two statements would be thrown from
  // the socket, crashing the process. Noted here instead; the statement that follows fails with it.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: the pool must not hand it out again.
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
