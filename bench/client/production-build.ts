/**
 * A production build of the client for the bench, into a temp folder (not
 * dist/client, which the end-to-end tests build and serve at the same
 * time): `vite build --outDir <temp>` with the project's vite.config.ts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../sync-server/testing/server-fixture.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_TIMEOUT_MS = 120_000;

/** Builds the client; resolves with the folder holding index.html. */
export async function buildClient(): Promise<string> {
  const outDir = path.join(await makeTempDir('happy-chat-bench-client-'), 'client');
  await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    timeout: BUILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return outDir;
}
