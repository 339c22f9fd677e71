/**
 * The engines suite's test fixtures: `engine` (the project's engine name),
 * `server` (one own server per worker, see engine-server.ts) and `until`, the
 * suite's one way to wait: run a probe in the page until it holds, bounded
 * in time, like Playwright's own expect.poll.
 */
import { test as base } from '@playwright/test';
import type { EngineName, ScriptTarget } from './engine-browser.js';
import { startEngineServer, type EngineServer } from './engine-server.js';

export const test = base.extend<{ engine: EngineName }, { server: EngineServer }>({
  engine: ['firefox', { option: true }],
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern; this one has none.
    async ({}, use) => {
      const server = await startEngineServer();
      await use(server);
      await server.dispose();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/** How long a probe may keep failing before the test fails; generous for 2 shared cores. */
const UNTIL_MS = 20_000;
/** Time between two probes. */
const PROBE_EVERY_MS = 100;

/**
 * Runs `body` in the page until it returns something other than false,
 * undefined or null without throwing, and returns that. Fails with the last
 * reason after `timeoutMs`.
 */
export async function until<T>(page: ScriptTarget, what: string, body: string, args: unknown = null, timeoutMs = UNTIL_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'never ran';
  for (let attempt = 0; attempt < timeoutMs / PROBE_EVERY_MS + 10 && Date.now() < deadline; attempt++) {
    try {
      const result = await page.run<T | false | null | undefined>(body, args);
      if (result !== false && result !== null && result !== undefined) return result;
      last = `returned ${JSON.stringify(result)}`;
    } catch (error) {
      last = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    }
    // Polling, as expect.poll does: the drivers offer no event for "the page now shows X".
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  throw new Error(`${page.engine}: ${what}: still not so after ${timeoutMs} ms (${last})`);
}
