import { defineConfig } from 'vitest/config';

/**
 * Tests that assert wall-clock bounds (round trips under load, the relay's
 * memory while attacked). With every other file running beside them on a
 * 2-core machine, what they measured was the other files. They run in a
 * group of their own, one file at a time, after the rest has finished.
 */
const TIMED = ['sync-server/relay/abuse-load.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'e2e/**', 'bench/**', ...TIMED],
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
    ],
  },
});
