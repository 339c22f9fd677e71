/**
 * What a relay allocates per message in the fan-out plan (issue 14, session 13): bytes from V8's sampling heap
 * profiler (collected objects included, so it is every allocation, not what survived) and garbage collections,
 * both over the measured window only (connections open, first send to last delivery), divided by the messages
 * sent. Counts, not timings: valid on a loaded machine.
 *
 *   npx tsx bench/prototypes/relay-allocations.ts
 *
 * Env: KINDS (default `happy-chat,reference`), RUNS (measured runs per relay after a warm-up, default 1),
 * SAMPLING (bytes between samples on average, default 1024), TOP (rows per table, default 25), OUT (folder
 * for the `.heapprofile` files, default a temporary one; open them in DevTools' Memory tab).
 *
 * Prints, per relay and run: bytes and collections per message; bytes by the function that allocated
 * them (self); bytes by the nearest function of ours on the stack (what our code made, Yjs's and the
 * packages' work on its behalf included); bytes by package.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic } from '../load/traffic.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import type { GcCounts } from '../servers/child-control.js';
import { type RelayKind, RelayProcess } from '../servers/relay-process.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

/** Each bundle's module starts, by file (read once). */
const bundles = new Map<string, Array<{ line: number; module: string }>>();
const kinds = (process.env.KINDS ?? 'happy-chat,reference').split(',') as RelayKind[];
const runs = Number(process.env.RUNS ?? 1);
const sampling = Number(process.env.SAMPLING ?? 1024);
const top = Number(process.env.TOP ?? 25);
const out = process.env.OUT ?? (await mkdtemp(path.join(tmpdir(), 'relay-allocations-')));
await mkdir(out, { recursive: true });
const messages = FAN_OUT_PLAN.rooms * FAN_OUT_PLAN.writersPerRoom * FAN_OUT_PLAN.messagesPerWriter;

const relays = await Promise.all(kinds.map((kind) => RelayProcess.start(kind)));
try {
  const sources = relays.map(roomSourceFor);
  for (const source of sources) await runTraffic(source, { ...FAN_OUT_PLAN, messagesPerWriter: 10 });
  for (let run = 1; run <= runs; run++) {
    for (const [i, source] of sources.entries()) {
      const relay = relays[i];
      const file = path.join(out, `${relay.kind}-${run}.heapprofile`);
      let gcs: GcCounts | null = null;
      const result = await runTraffic(source, FAN_OUT_PLAN, {
        opened: () => relay.startAllocations(sampling),
        settled: async () => {
          gcs = await relay.stopAllocations(file);
        },
      });
      if (!gcs) throw new Error('no collections counted');
      report(relay.kind, run, file, gcs, result.failures);
    }
  }
} finally {
  await Promise.all(relays.map((relay) => relay.stop()));
}

function report(kind: RelayKind, run: number, file: string, gcs: GcCounts, failures: string[]): void {
  const root = JSON.parse(readFileSync(file, 'utf8')).head as ProfileNode;
  const self = new Map<string, number>();
  const nearestOurs = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, ours: string | null) => {
    const where = placeOf(node.callFrame);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where.label}`;
    const owner = where.ours ? name : ours;
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(self, name, node.selfSize);
      add(nearestOurs, owner ?? `(no frame of ours) ${where.group}`, node.selfSize);
      add(byPackage, where.group, node.selfSize);
    }
    for (const child of node.children) walk(child, owner);
  };
  walk(root, null);
  const perMessage = (bytes: number) => Math.round(bytes / messages);
  console.log(
    `\n## ${kind}, run ${run}: ${perMessage(total)} B allocated a message (${(total / 2 ** 20).toFixed(1)} MiB / ${messages}); ` +
      `per 1,000 messages ${fixed((gcs.minor * 1000) / messages)} scavenges, ${fixed(((gcs.major + gcs.incremental) * 1000) / messages)} mark-sweeps ` +
      `(${gcs.major} full, ${gcs.incremental} incremental steps), GC pauses ${fixed((gcs.pauseMs * 1000) / messages)} µs a message` +
      `${failures.length > 0 ? `; FAILURES: ${failures.join('; ')}` : ''}\n${file}`,
  );
  table('by package', byPackage, perMessage, total);
  table('self (the function that allocated)', self, perMessage, total);
  table('nearest function of ours on the stack', nearestOurs, perMessage, total);
}

function table(title: string, bytes: Map<string, number>, perMessage: (bytes: number) => number, total: number): void {
  console.log(`\n| ${title} | B a message | share |\n| --- | ---: | ---: |`);
  for (const [name, n] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${name.replaceAll('|', '\\|')} | ${perMessage(n)} | ${((n / total) * 100).toFixed(1)} % |`);
  }
}

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

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function fixed(n: number): string {
  return n.toFixed(n < 10 ? 2 : 0);
}
