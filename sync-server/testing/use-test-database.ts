/**
 * One LevelDB database per test in its own temp directory, closed and
 * removed after it. Call at the top of a test file (it registers vitest hooks).
 */
import { afterEach, beforeEach } from 'vitest';
import { Database } from '../store/database.js';
import { makeTempDir, removeDir } from './temp-dir.js';

export interface TestDatabaseHandle {
  readonly db: Database;
  readonly dir: string;
}

/** Opens a fresh database before each test of the file and removes it after. */
export function useTestDatabase(): TestDatabaseHandle {
  let db: Database | undefined;
  let dir = '';

  beforeEach(async () => {
    dir = await makeTempDir();
    db = await Database.open(dir);
  });

  afterEach(async () => {
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
