/**
 * `npm start` runs the server from build-server.ts's bundle with plain node:
 * the bundle must start from where it is written (its packages resolved from
 * node_modules, the PostgreSQL migrations beside it) and answer, and it must
 * be built without `keepNames` (the reason it exists).
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { buildServer, SERVER_BUILD_DIR } from './build-server.js';
import { MIGRATIONS_DIR } from './store/postgres/migrations.js';
import { makeTempDir, removeDir } from './testing/temp-dir.js';
import { freePort, killServer, loopbackUrl, spawnServer, waitUntilStarted } from './testing/server-process.js';

/** Beside dist/server (so node_modules resolves), but this test's own: a running `npm start` keeps its bundle. */
const outDir = path.join(path.dirname(SERVER_BUILD_DIR), `server-test-${randomUUID()}`);
let dataDir = '';

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
  if (dataDir) await removeDir(dataDir);
});

it('builds a server that starts with plain node and answers /api/health', async () => {
  const bundle = await buildServer(outDir);
  // esbuild's keepNames would bring its `__name` helper into the bundle.
  expect(await readFile(bundle, 'utf8')).not.toMatch(/\b__name\(/);
  expect((await readdir(path.join(outDir, 'migrations'))).sort()).toEqual((await readdir(MIGRATIONS_DIR)).sort());

  dataDir = await makeTempDir();
  const port = await freePort();
  const child = spawnServer({ port, dataDir, env: {}, wrapperEnv: {}, stdout: 'ignore', bundle });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitUntilStarted(child, loopbackUrl(port), { name: 'built server', timeoutMs: 30_000, output: () => stderr });
    const health = await fetch(`${loopbackUrl(port)}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  } finally {
    await killServer(child);
  }
});
