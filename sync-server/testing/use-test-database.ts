/**
 * One LevelDB database per test in its own temp directory, closed and
 * removed after it. Call at the top of a test file (it registers vitest hooks).
 */
import { Database } from '../store/database.js';
import { FILE_HOOKS, type HookTarget } from './suite-hooks.js';
import { makeTempDir, removeDir } from './temp-dir.js';

export interface TestDatabaseHandle {
  readonly db: Database;
  readonly dir: string;
}

/** Opens a fresh database before each test of the file (or of the suites `hooks` is given to) and removes it after. */
export function useTestDatabase(hooks: HookTarget = FILE_HOOKS): TestDatabaseHandle {
  let db: Database | undefined;
  let dir = '';

  hooks.beforeEach(async () => {
    dir = await makeTempDir();
    db = await Database.open(dir);
  });

  hooks.afterEach(async () => {
    await db?.close();
    db = undefined;
    await removeDir(dir);
  });

  return {
    get db() {
      if (!db) throw new Error('the test database is open only while a test runs');
      return db;
    },
    get dir() {
      return dir;
    },
  };
}
