/**
 * docs/ARCHITECTURE.md's tree stays true: it lists every source module of
 * `shared/`, `sync-server/` and `client/`, and every `.ts` path the page
 * names still exists. Modules are added and moved often; this test names
 * what the page misses or names in vain, so the tree cannot drift again.
 *
 * The tree lists each folder as a line `**\`folder/\`**` followed by a
 * bullet per module, `` - `name.ts`: what it is ``. Left out: tests
 * (`*.test.ts`) and the `testing/` folders (fixtures for tests, not parts of
 * the product; the page names each folder once), and declaration files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LISTED_ROOTS = ['shared', 'sync-server', 'client'];
/** Where a path named in prose may point (the page also names e2e specs, benchmarks, this test and configs at the root). */
const NAMED_ROOTS = [...LISTED_ROOTS, 'e2e', 'bench', 'docs'];
const page = readFileSync(path.join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');

/** Every file under `dir`, as paths from the repository root with `/`. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** A module the tree must list: source, not a test, a fixture or a declaration. */
function isModule(file: string): boolean {
  return file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts') && !file.split('/').includes('testing');
}

/** The modules the tree lists: each bullet's name joined to the folder line above it. */
function listedInTree(markdown: string): string[] {
  const tree = markdown.split(/^## /m).find((section) => section.startsWith('The tree'));
  if (!tree) throw new Error('docs/ARCHITECTURE.md has no "## The tree" section');
  const listed: string[] = [];
  let folder: string | null = null;
  for (const line of tree.split('\n')) {
    const heading = /^\*\*`([^`]+\/)`\*\*/.exec(line);
    if (heading) folder = heading[1];
    const bullet = /^- `([^`]+\.ts)`/.exec(line);
    if (bullet && folder) listed.push(folder + bullet[1]);
  }
  return listed;
}

const existing = NAMED_ROOTS.flatMap(filesUnder);
const modules = LISTED_ROOTS.flatMap(filesUnder).filter(isModule).sort();
const listed = listedInTree(page);

it('lists every module of shared/, sync-server/ and client/ in its tree', () => {
  const missing = modules.filter((file) => !listed.includes(file));
  expect(missing, 'modules docs/ARCHITECTURE.md does not list in "The tree"').toEqual([]);
});

it('lists no module in its tree that does not exist, and none twice', () => {
  const gone = listed.filter((file) => !modules.includes(file));
  expect(gone, 'listed in "The tree" but not a module').toEqual([]);
  expect(
    listed.filter((file, index) => listed.indexOf(file) !== index),
    'listed twice',
  ).toEqual([]);
});

it('names no .ts path anywhere on the page that no longer exists', () => {
  const named = new Set([...page.matchAll(/`([\w./-]+\.ts)`/g)].map((match) => match[1]));
  // A name is found when it ends some existing path at a folder boundary (`room.ts`, `relay/room.ts`, `sync-server/relay/room.ts`).
  const rootFiles = readdirSync(ROOT).filter((name) => name.endsWith('.ts'));
  const found = (name: string) => rootFiles.includes(name) || existing.some((file) => file === name || file.endsWith(`/${name}`));
  const vanished = [...named].filter((name) => !found(name));
  expect(vanished, 'named in docs/ARCHITECTURE.md but no such file').toEqual([]);
});
