/**
 * The engines suite (`npm run test:engines`): the core flows in Firefox
 * (Debian's firefox-esr over WebDriver BiDi) and WebKit (WebKitGTK's
 * MiniBrowser over WebDriver), each with a Chromium peer. Chromium itself runs
 * the full suite in playwright.config.ts. Each engine's person is driven by
 * e2e/engines/engine-browser.ts; the `browser` fixture is the Chromium peer.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './e2e/environment.js';
import type { EngineName } from './e2e/engines/engine-browser.js';

export default defineConfig<{ engine: EngineName }>({
  testDir: 'e2e/engines',
  testMatch: '**/*.engine.ts',
  // One engine at a time on 2 cores; each worker starts its own server.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/engines',
  use: {
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [
    { name: 'firefox', use: { engine: 'firefox' } },
    { name: 'webkit', use: { engine: 'webkit' } },
  ],
});
