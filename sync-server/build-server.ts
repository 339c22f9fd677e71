/**
 * `npm run build:server`: the server compiled ahead of time into one ES module,
 * dist/server/main.js, which `npm start` runs with plain node.
 *
 * Why not tsx at run time: tsx compiles with esbuild's `keepNames`, which gives
 * every named arrow function and class-field handler its `name` with
 * `Object.defineProperty` when it is made (a 256-byte dictionary per closure,
 * and the call on every message where a hot path makes one). Built here
 * without it (docs/PERFORMANCE.md, "Issue 14, session 10: the relay from a build").
 *
 * Packages stay outside the bundle (node imports them from node_modules, as
 * under tsx), so the bundle must sit inside the repository; only our
 * TypeScript (sync-server/, shared/) is compiled in. Not minified: a stack
 * trace names functions as written, at a line of the bundle, where each
 * module starts with a `// sync-server/…` comment (the .map beside it serves
 * `node --enable-source-maps`).
 */
import { cp, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { MIGRATIONS_DIR } from './store/postgres/migrations.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where `npm start` runs the server from (git-ignored, as dist/client). */
export const SERVER_BUILD_DIR = path.join(ROOT, 'dist', 'server');

/**
 * Bundles `entry` (a path from the repository root) into `outDir`/<its name>.js
 * and returns that file. `outDir` must be inside the repository, for the
 * packages' imports to resolve.
 */
export async function buildServer(outDir = SERVER_BUILD_DIR, entry = 'sync-server/main.ts'): Promise<string> {
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.js`);
  const { outputFiles } = await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  await mkdir(outDir, { recursive: true });
  // Written aside and renamed: a server or bench relay starting from this folder meanwhile reads a whole file.
  for (const file of outputFiles) {
    const aside = `${file.path}.${process.pid}.tmp`;
    await writeFile(aside, file.contents);
    await rename(aside, file.path);
  }
  // migrations.ts reads its SQL from beside its module (import.meta.url): in the bundle, that is beside `outfile`.
  // Copied over what is there (a migration once released is never edited or removed).
  await cp(MIGRATIONS_DIR, path.join(outDir, 'migrations'), { recursive: true, force: true });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`built ${path.relative(ROOT, await buildServer())}`);
}
