import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS, E2E_BASE_URL, E2E_DATA_DIR, E2E_FILE_UPLOAD_MAX_BYTES, E2E_PORT } from './e2e/environment.js';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One server with one DATA_DIR; tests make their own people, but run one at a time on 2 cores.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: E2E_BASE_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  webServer: {
    // The client is built by `npm run test:e2e` before Playwright starts.
    // Every run starts with an empty DATA_DIR, emptied here rather than in a
    // globalSetup: Playwright starts the web server first, and deleting the
    // folder under a running server left LevelDB writing into a folder that
    // no longer existed (and no person or mail of an earlier run must answer
    // for this one).
    command: `rm -rf '${E2E_DATA_DIR}' && exec npx tsx sync-server/main.ts`,
    url: `${E2E_BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    // Every person in the suite signs up and in from 127.0.0.1: the per-address limits would stop the suite, not an attacker.
    env: {
      PORT: String(E2E_PORT),
      DATA_DIR: E2E_DATA_DIR,
      PUBLIC_URL: E2E_BASE_URL,
      HOST: '127.0.0.1',
      RATE_REGISTER_PER_ADDRESS: '1000',
      RATE_LOGIN_PER_ADDRESS: '1000',
      // Not the default, so e2e/files-and-voice.spec.ts sees the app refuse by the server's limit.
      FILE_UPLOAD_MAX_BYTES: String(E2E_FILE_UPLOAD_MAX_BYTES),
    },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
