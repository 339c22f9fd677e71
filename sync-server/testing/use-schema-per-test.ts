/**
 * A fresh, migrated PostgreSQL schema for each test, dropped after it (the
 * store contract suites start every test from an empty store). Call at the
 * top of a test file (it registers vitest hooks). `pool()` is the test's
 * pool; `otherPool()` a second one on the same schema, as another relay has.
 */
import type pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { migrate } from '../store/postgres/migrations.js';
import { DEFAULT_POSTGRES, openPool, type PostgresConfig } from '../store/postgres/pool.js';
import { freshSchemaName, TEST_DATABASE_URL } from './use-test-schema.js';

export interface SchemaPerTestHandle {
  /** The test's schema, migrated, through its first pool. */
  pool(): pg.Pool;
  /** Another pool on the same schema (opened on first call): what a second relay process holds. */
  otherPool(): pg.Pool;
  /** Settings of the test's schema. */
  config(): PostgresConfig;
}

export function useSchemaPerTest(): SchemaPerTestHandle {
  let config: PostgresConfig | undefined;
  let pools: pg.Pool[] = [];

  beforeEach(async () => {
    config = { ...DEFAULT_POSTGRES, url: TEST_DATABASE_URL, schema: freshSchemaName(), poolSize: 4 };
    pools = [openPool(config)];
    await migrate(pools[0], config.schema);
  });

  afterEach(async () => {
    const [first] = pools;
    if (config) await first?.query(`DROP SCHEMA IF EXISTS "${config.schema}" CASCADE`);
    await Promise.all(pools.map((pool) => pool.end()));
    pools = [];
    config = undefined;
  });

  const current = (): PostgresConfig => {
    if (!config) throw new Error('the test schema exists only while a test runs');
    return config;
  };
  return {
    pool() {
      current();
      return pools[0];
    },
    otherPool() {
      const settings = current();
      pools[1] ??= openPool(settings);
      return pools[1];
    },
    config: current,
  };
}
