/**
 * Hooks for the suites one call declares, rather than for the whole file.
 * A fixture registered at a file's top (a migrated PostgreSQL schema per
 * test, say) runs for every test of the file; `bothStores` declares a
 * LevelDB suite and a PostgreSQL suite in one file, and each test paid for
 * the other backend too (a schema migrated for every LevelDB test: about
 * 1.5 s at load 17; three of them per test where a file holds three
 * contracts). A fixture given `SuiteHooks` registers its hooks here, and
 * `declare` gives them to exactly the describe blocks a call made.
 */
import { afterEach, beforeEach } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';

type Hook = () => Promise<void> | void;

/** Where a fixture registers its per-test hooks: the file (vitest's own functions) or `SuiteHooks`. */
export interface HookTarget {
  beforeEach(hook: Hook): void;
  afterEach(hook: Hook): void;
}

/** The file's hooks, as vitest registers them where the fixture is called. */
export const FILE_HOOKS: HookTarget = {
  beforeEach: (hook) => beforeEach(hook),
  afterEach: (hook) => afterEach(hook),
};

export class SuiteHooks implements HookTarget {
  private readonly before: Hook[] = [];
  private readonly after: Hook[] = [];
  private declared = false;

  beforeEach(hook: Hook): void {
    this.before.push(hook);
  }

  afterEach(hook: Hook): void {
    this.after.push(hook);
  }

  /** Runs `suites` (which calls `describe`) and gives the hooks registered so far to each describe it made. */
  declare(suites: () => void): void {
    if (this.declared) throw new Error('these hooks were given to their suites already');
    this.declared = true;
    const parent = getCurrentSuite();
    const known = parent.tasks.length;
    suites();
    const made = parent.tasks.slice(known).filter((task) => task.type === 'collector');
    if (made.length === 0) throw new Error('the call declared no describe block for its hooks');
    for (const suite of made) {
      for (const hook of this.before) suite.on('beforeEach', hook);
      for (const hook of this.after) suite.on('afterEach', hook);
    }
  }
}
