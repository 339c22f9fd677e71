import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests that assert wall-clock bounds (round trips under load, the relay's
 * memory while attacked). With every other file running beside them on a
 * 2-core machine, what they measured was the other files. They run in a
 * group of their own, one file at a time, after the rest has finished.
 */
const TIMED = ['sync-server/relay/abuse-load.test.ts'];

/**
 * The cluster tests with real relay processes (SIGKILL, SIGSTOP past a lease, PostgreSQL and Redis
 * stopped): their failovers wait on leases and timers, which a machine busy with every other file
 * stretched past their bounds. They too run one file at a time, after the rest.
 */
const PROCESSES = ['sync-server/cluster/processes/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two files at once even on 2 cores (vitest's default there is one): the main project's files wait on
    // PostgreSQL, Redis, child processes and timers for 79-88 % of their wall time, so a second file fills
    // it. Two full runs on a quiet 2-core machine passed in 299 and 342 s against 486 s with one worker
    // (docs/OPERATIONS.md, "Test suite time (session 14)"). `timed` and `processes` stay one file at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The server built once for the run: child servers and relays start from it (server-bundle-setup.ts).
    globalSetup: ['sync-server/testing/server-bundle-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'e2e/**', 'bench/**', ...TIMED, ...PROCESSES],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: TIMED,
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: PROCESSES,
          sequence: { groupOrder: 2 },
          fileParallelism: false,
        },
      },
    ],
  },
});
