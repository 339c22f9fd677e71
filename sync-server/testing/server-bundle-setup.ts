/**
 * vitest's globalSetup: builds the server once per run (build-server.ts's
 * bundle, what `npm start` runs) and hands its path to the tests, whose child
 * servers and relays (server-process.ts) then start with plain node instead
 * of compiling main.ts under tsx at every start. A start under tsx took
 * 2.7-3.2 CPU seconds, from the bundle 1.2 (docs/OPERATIONS.md, "Test suite
 * time (session 13)"), and the cluster tests start a relay dozens of times.
 *
 * The bundle goes to a folder of this run's own inside the repository (its
 * packages resolve from node_modules): other runs at the same time build
 * their own, and `npm start`'s dist/server is left alone.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildServer, SERVER_BUILD_DIR } from '../build-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built server for child processes (server-process.ts). */
    serverBundle: string;
  }
}

/** Each project of the config runs this setup; they share one build (and its removal after the last). */
const shared = globalThis as { serverBundleBuild?: { bundle: Promise<string>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = path.join(path.dirname(SERVER_BUILD_DIR), `test-server-${process.pid}`);
  shared.serverBundleBuild ??= { bundle: buildServer(outDir), users: 0 };
  const build = shared.serverBundleBuild;
  build.users++;
  project.provide('serverBundle', await build.bundle);
  return async () => {
    if (--build.users > 0) return;
    shared.serverBundleBuild = undefined;
    await rm(outDir, { recursive: true, force: true });
  };
}
