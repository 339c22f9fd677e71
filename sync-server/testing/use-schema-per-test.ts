/**
 * A fresh, migrated PostgreSQL schema for each test (`useTestSchema` with
 * `each`), plus a second pool on it: what another relay process holds. The
 * store contract suites use it to start every test from an empty store and
 * to race two relays. Call at the top of a test file (it registers vitest hooks).
 */
import type pg from 'pg';
import { openPool, type PostgresConfig } from '../store/postgres/pool.js';
import { FILE_HOOKS, type HookTarget } from './suite-hooks.js';
import { useTestSchema } from './use-test-schema.js';

export interface SchemaPerTestHandle {
  /** The test's pool, in its own migrated schema. */
  pool(): pg.Pool;
  /** Another pool on the same schema (opened on first call, closed after the test). */
  otherPool(): pg.Pool;
  config(): PostgresConfig;
}

/** Per test of the file, or of the suites `hooks` is given to (suite-hooks.ts). */
export function useSchemaPerTest(hooks: HookTarget = FILE_HOOKS): SchemaPerTestHandle {
  const schema = useTestSchema({ each: true, poolSize: 4, hooks });
  let other: pg.Pool | undefined;

  hooks.afterEach(async () => {
    await other?.end();
    other = undefined;
  });

  return {
    pool: () => schema.pool,
    otherPool() {
      other ??= openPool(schema.config);
      return other;
    },
    config: () => schema.config,
  };
}
