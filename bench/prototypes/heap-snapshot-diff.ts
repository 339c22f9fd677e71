/**
 * What a heap snapshot holds that an earlier one of the same process did not
 * (issue 14, the room-heap scenario's `BENCH_HEAP_SNAPSHOT_DIR`): the new
 * objects' self sizes, summed by kind and constructor, by their first retainer,
 * and by the nearest named class up the retainer chain (the owner). V8 keeps
 * an object's id across snapshots of one process, so "new" is "id not in the
 * earlier snapshot".
 *
 *   npx tsx bench/prototypes/heap-snapshot-diff.ts <before.heapsnapshot> <after.heapsnapshot> [divisor] [rows]
 *
 * `divisor` (e.g. the rooms opened between the two) turns sums into bytes per room.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Constructors too generic to name an owner: the climb goes on past them. */
const GENERIC = new Set(['Object', 'Array', 'Map', 'Set', 'system / Context', '(object properties)', '(object elements)', 'Function']);
const MAX_CLIMB = 12;

function load(file: string): Snapshot {
  return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
}

function idsOf(s: Snapshot): Set<number> {
  const fields = s.snapshot.meta.node_fields.length;
  const idAt = s.snapshot.meta.node_fields.indexOf('id');
  const ids = new Set<number>();
  for (let i = 0; i < s.nodes.length; i += fields) ids.add(s.nodes[i + idAt]);
  return ids;
}

function main(): void {
  const [beforeFile, afterFile, divisorArg, rowsArg] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: heap-snapshot-diff.ts <before> <after> [divisor] [rows]');
  const divisor = Number(divisorArg ?? 1);
  const rows = Number(rowsArg ?? 40);
  const before = idsOf(load(beforeFile));
  const s = load(afterFile);
  const { meta } = s.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const idAt = meta.node_fields.indexOf('id');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = s.nodes.length / nf;
  const kind = (n: number) => nodeTypes[s.nodes[n * nf + typeAt]];
  const name = (n: number) => s.strings[s.nodes[n * nf + nameAt]];
  const label = (n: number) => {
    const k = kind(n);
    if (k === 'object' || k === 'native') return name(n);
    if (k === 'closure') return `closure ${name(n) || '(anonymous)'}`;
    if (k === 'hidden' || k === 'array' || k === 'code' || k === 'object shape') return `(${k}) ${name(n).slice(0, 40)}`;
    return `(${k})`;
  };
  const isNew = new Uint8Array(count);
  for (let n = 0; n < count; n++) if (!before.has(s.nodes[n * nf + idAt])) isNew[n] = 1;
  // First strong retainer of each node, and the edge's name.
  const retainer = new Int32Array(count).fill(-1);
  const retainerEdge: string[] = new Array(count);
  let edge = 0;
  for (let n = 0; n < count; n++) {
    const edges = s.nodes[n * nf + edgeCountAt];
    for (let e = 0; e < edges; e++, edge += ef) {
      const type = edgeTypes[s.edges[edge]];
      if (type === 'weak' || type === 'shortcut') continue;
      const to = s.edges[edge + 2] / nf;
      if (retainer[to] !== -1) continue;
      retainer[to] = n;
      const nameOrIndex = s.edges[edge + 1];
      retainerEdge[to] = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : String(s.strings[nameOrIndex]);
    }
  }
  const ownerOf = (n: number) => {
    let at = retainer[n];
    for (let i = 0; i < MAX_CLIMB && at !== -1; i++, at = retainer[at]) {
      const k = kind(at);
      if ((k === 'object' || k === 'native') && !GENERIC.has(name(at)) && !name(at).startsWith('system')) return name(at);
    }
    return '(none)';
  };
  // The retainer path up to the owner, for the owners named in HEAP_DIFF_OWNERS (comma-separated).
  const owners = new Set((process.env.HEAP_DIFF_OWNERS ?? '').split(',').filter(Boolean));
  const byOwnerPath = new Map<string, [number, number]>();
  const pathOf = (n: number) => {
    const steps: string[] = [];
    let at = n;
    for (let i = 0; i < MAX_CLIMB && retainer[at] !== -1; i++) {
      steps.push(retainerEdge[at]);
      at = retainer[at];
      const k = kind(at);
      if ((k === 'object' || k === 'native') && !GENERIC.has(name(at)) && !name(at).startsWith('system')) break;
      steps.push(label(at));
    }
    return steps.reverse().join(' → ');
  };
  const byLabel = new Map<string, [number, number]>();
  const byRetainer = new Map<string, [number, number]>();
  const byOwner = new Map<string, [number, number]>();
  const add = (m: Map<string, [number, number]>, key: string, size: number) => {
    const entry = m.get(key) ?? [0, 0];
    entry[0] += size;
    entry[1] += 1;
    m.set(key, entry);
  };
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (!isNew[n]) continue;
    const size = s.nodes[n * nf + sizeAt];
    total += size;
    const l = label(n);
    add(byLabel, l, size);
    const r = retainer[n];
    add(byRetainer, `${l} ← ${r === -1 ? '(root)' : `${label(r)}.${retainerEdge[n]}`}`, size);
    const owner = ownerOf(n);
    add(byOwner, owner, size);
    if (owners.has(owner)) add(byOwnerPath, `${owner}: ${l} ← ${pathOf(n)}`, size);
  }
  const print = (title: string, m: Map<string, [number, number]>) => {
    console.log(`\n## ${title}\n| bytes per unit | objects per unit | what |\n| ---: | ---: | --- |`);
    for (const [key, [size, objects]] of [...m].sort((a, b) => b[1][0] - a[1][0]).slice(0, rows)) {
      console.log(`| ${(size / divisor).toFixed(0)} | ${(objects / divisor).toFixed(2)} | ${key.replace(/\|/g, '\\|')} |`);
    }
  };
  console.log(`new objects: ${(total / divisor).toFixed(0)} B per unit (divisor ${divisor})`);
  print('by kind and constructor', byLabel);
  print('by first retainer', byRetainer);
  print('by nearest named owner up the retainers', byOwner);
  if (owners.size > 0) print('the named owners, by path', byOwnerPath);
}

main();
