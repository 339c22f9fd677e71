/**
 * A relay's `.heapprofile` (V8's sampling heap profiler) as tables of bytes a message: by package, by the
 * function that allocated, and by the nearest function of ours on the stack (our modules found in the
 * relay's bundle by esbuild's `// sync-server/…` comments). Shared by bench/prototypes/relay-allocations.ts
 * (every allocation) and relay-gc.ts (what survived the young generation).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
/** A node of a `.heapprofile` (V8's sampling heap profiler). */
export interface SampledNode {
  callFrame: CallFrame;
  selfSize: number;
  children: SampledNode[];
}

/** Bytes in a heap profile, in total and by package, by allocating function (self) and by nearest function of ours. */
export interface SampledBytes {
  total: number;
  byPackage: Map<string, number>;
  self: Map<string, number>;
  nearestOurs: Map<string, number>;
}

export function sampledBytes(file: string): SampledBytes {
  const root = JSON.parse(readFileSync(file, 'utf8')).head as SampledNode;
  const bytes: SampledBytes = { total: 0, byPackage: new Map(), self: new Map(), nearestOurs: new Map() };
  const walk = (node: SampledNode, ours: string | null) => {
    const where = placeOf(node.callFrame);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where.label}`;
    const owner = where.ours ? name : ours;
    if (node.selfSize > 0) {
      bytes.total += node.selfSize;
      add(bytes.self, name, node.selfSize);
      add(bytes.nearestOurs, owner ?? `(no frame of ours) ${where.group}`, node.selfSize);
      add(bytes.byPackage, where.group, node.selfSize);
    }
    for (const child of node.children) walk(child, owner);
  };
  walk(root, null);
  return bytes;
}

/** Prints the `top` rows of one table (markdown), bytes divided by `messages`. */
export function printTable(title: string, bytes: Map<string, number>, total: number, messages: number, top: number): void {
  console.log(`\n| ${title} | B a message | share |\n| --- | ---: | ---: |`);
  for (const [name, n] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${name.replaceAll('|', '\\|')} | ${Math.round(n / messages)} | ${((n / total) * 100).toFixed(1)} % |`);
  }
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Each bundle's module starts, by file (read once). */
const bundles = new Map<string, Array<{ line: number; module: string }>>();

/** Where a frame's code lives: one of our modules (found in the relay's bundle by its `// sync-server/…` comments), a package, or node. */
function placeOf(frame: CallFrame): { label: string; group: string; ours: boolean } {
  const { url, lineNumber } = frame;
  if (!url) return { label: '', group: '(V8)', ours: false };
  if (url.startsWith('node:')) return { label: `(${url})`, group: 'node', ours: false };
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const inPackages = file.lastIndexOf('/node_modules/');
  if (inPackages >= 0) {
    const rest = file.slice(inPackages + '/node_modules/'.length);
    const parts = rest.split('/');
    const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    return { label: `(${pkg}:${lineNumber + 1})`, group: pkg, ours: false };
  }
  const module = moduleAt(file, lineNumber);
  return { label: `(${module}:${lineNumber + 1})`, group: module.startsWith('bench/') ? 'bench harness' : 'ours', ours: true };
}

/** The module a line of a bundle came from (esbuild starts each with `// <path>`); a source file names itself. */
function moduleAt(file: string, line: number): string {
  if (file.endsWith('.ts')) return path.relative(process.cwd(), file);
  let starts = bundles.get(file);
  if (!starts) {
    starts = [];
    for (const [i, text] of readFileSync(file, 'utf8').split('\n').entries()) {
      const match = /^\/\/ ((?:sync-server|shared|bench)\/\S+\.ts)$/.exec(text);
      if (match) starts.push({ line: i, module: match[1] });
    }
    bundles.set(file, starts);
  }
  let module = path.basename(file);
  for (const start of starts) {
    if (start.line > line) break;
    module = start.module;
  }
  return module;
}
