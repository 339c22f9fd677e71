/**
 * Runs one store contract suite against both backends: LevelDB in a temp dir
 * and a real PostgreSQL with a fresh schema per test. Every store test file
 * did the same dance (open the two test databases, call the contract twice,
 * the second PostgreSQL handle on another pool); this states it once, so a
 * test file says only how to build its store on each backend. The suites keep
 * their names 'LevelDB' and 'PostgreSQL'. Call at the top of a test file (it
 * registers vitest hooks).
 */
import type pg from 'pg';
import { type SchemaPerTestHandle, useSchemaPerTest } from './use-schema-per-test.js';
import { SuiteHooks } from './suite-hooks.js';
import { type TestDatabaseHandle, useTestDatabase } from './use-test-database.js';

/** What every contract suite takes: a fresh store, and a second handle on its storage. */
interface ContractSubject {
  open(): unknown;
}

type StoreOf<Subject extends ContractSubject> = Awaited<ReturnType<Subject['open']>>;

/** Whatever a suite asks for beyond `open` and `sameStorage` (e.g. a way to write an old-format record). */
type ExtrasOf<Subject> = Omit<Subject, 'open' | 'sameStorage'>;

interface StoreBuilders<Subject extends ContractSubject> {
  /** Builds the LevelDB store (called inside each test, on that test's database). */
  level: (level: TestDatabaseHandle) => StoreOf<Subject>;
  /** Builds the PostgreSQL store on a pool: the test's own, or (for `sameStorage`) another relay's. */
  postgres: (pool: pg.Pool) => StoreOf<Subject>;
}

/** Required only when the suite asks for more than `open` and `sameStorage`. */
type ExtraBuilders<Subject> = keyof ExtrasOf<Subject> extends never
  ? { extras?: undefined }
  : {
      extras: {
        level: (level: TestDatabaseHandle) => ExtrasOf<Subject>;
        postgres: (postgres: SchemaPerTestHandle) => ExtrasOf<Subject>;
      };
    };

export function bothStores<Subject extends ContractSubject>(
  contract: (name: string, subject: Subject) => void,
  builders: StoreBuilders<Subject> & ExtraBuilders<Subject>,
): void {
  // Each backend's fixture for its own suite's tests only: a LevelDB test migrated a PostgreSQL schema too.
  const levelHooks = new SuiteHooks();
  const postgresHooks = new SuiteHooks();
  const level = useTestDatabase(levelHooks);
  const postgres = useSchemaPerTest(postgresHooks);
  const extras = builders.extras as { level: (l: TestDatabaseHandle) => object; postgres: (p: SchemaPerTestHandle) => object } | undefined;

  levelHooks.declare(() =>
    contract('LevelDB', {
      open: () => builders.level(level),
      // One process owns a LevelDB directory: the "other handle" is the same store.
      sameStorage: (store: StoreOf<Subject>) => store,
      ...extras?.level(level),
    } as unknown as Subject),
  );

  postgresHooks.declare(() =>
    contract('PostgreSQL', {
      open: () => builders.postgres(postgres.pool()),
      // Another pool on the same schema: what a second relay process holds.
      sameStorage: () => builders.postgres(postgres.otherPool()),
      ...extras?.postgres(postgres),
    } as unknown as Subject),
  );
}
