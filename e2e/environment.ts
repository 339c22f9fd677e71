/** Where the end-to-end server runs and keeps its data; shared by the config and the specs. */
import os from 'node:os';
import path from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 18931);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DATA_DIR = path.join(os.tmpdir(), `happy-chat-e2e-${E2E_PORT}`);
/**
 * The e2e server's FILE_UPLOAD_MAX_BYTES: below the default (20 MB), so a
 * spec sees whether the app refuses by the server's limit or by its own default.
 */
export const E2E_FILE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024;
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How every test and benchmark starts Debian's Chromium: headless, and
 * without the background connections this machine's closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const CHROMIUM_LAUNCH_OPTIONS = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
