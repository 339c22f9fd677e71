/**
 * A production build of the client for the bench, into a temp folder (not
 * dist/client, which the end-to-end tests build and serve at the same
 * time): `vite build --outDir <temp>` with the project's vite.config.ts.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../sync-server/testing/temp-dir.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_TIMEOUT_MS = 120_000;

/** Builds the client; resolves with the folder holding index.html. */
export async function buildClient(): Promise<string> {
  const outDir = path.join(await makeTempDir('happy-chat-bench-client-'), 'client');
  try {
    await promisify(execFile)(
      path.join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
  } catch (error) {
    // vite's report is long; the lines naming the error are enough for the table's failure list.
    const output = stripVTControlCharacters(String((error as { stderr?: unknown }).stderr ?? error));
    const reasons = output
      .split('\n')
      .filter((line) => /error|could not|not found/i.test(line))
      .slice(0, 4);
    throw new Error(`vite build failed: ${reasons.join(' / ') || output.slice(0, 500)}`);
  }
  return outDir;
}
