/**
 * One PostgreSQL schema per test file (or per test), migrated, and dropped
 * after it: call at the top of a test file (it registers vitest hooks). The server is
 * `TEST_DATABASE_URL` (default: the local one the project's machines and
 * `.ci/run` start, trust auth, database `test`).
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { migrate } from '../store/postgres/migrations.js';
import { DEFAULT_POSTGRES, openPool, type PostgresConfig } from '../store/postgres/pool.js';
import type { HookTarget } from './suite-hooks.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchemaHandle {
  /** Settings for a pool (or a server's `postgres` config) in this file's schema. */
  readonly config: PostgresConfig;
  /** A pool in this file's schema, migrated. */
  readonly pool: pg.Pool;
}

/** A fresh schema name: `test_` and random hex, so parallel test files never meet. */
export function freshSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/**
 * Makes a migrated schema before the file's tests (`each`: before each test)
 * and drops it, with everything in it, after them.
 */
export function useTestSchema(options: { each?: boolean; hooks?: HookTarget } & Partial<PostgresConfig> = {}): TestSchemaHandle {
  const { each = false, hooks, ...overrides } = options;
  let config: PostgresConfig = { ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema: freshSchemaName(), ...overrides };
  let pool: pg.Pool | undefined;

  // Per test: the file's tests, or those of the suites `hooks` is given to (suite-hooks.ts).
  const before = each ? (hooks?.beforeEach.bind(hooks) ?? beforeEach) : beforeAll;
  const after = each ? (hooks?.afterEach.bind(hooks) ?? afterEach) : afterAll;
  before(async () => {
    config = { ...config, schema: overrides.schema ?? freshSchemaName() };
    pool = openPool(config);
    await migrate(pool, config.schema);
  });

  after(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS "${config.schema}" CASCADE`);
    await pool?.end();
    pool = undefined;
  });

  return {
    get config() {
      return config;
    },
    get pool() {
      if (!pool) throw new Error('the test schema exists only while the file runs');
      return pool;
    },
  };
}
