/**
 * Reads V8 CPU profiles (`npm run bench -- --profile` writes them to
 * bench/profiles/<relay>/) and prints self and inclusive time by function,
 * optionally only inside the subtrees of one function (`--under <name>`):
 * where a hot path's time goes, without DevTools. Time is sampled wall time
 * of the main thread (idle and program left out of "busy").
 *
 *   npx tsx bench/profile-summary.ts [--under applyClientUpdate] [--top 40] [--match text] <file.cpuprofile>...
 *
 * Several files are summed (one relay's three runs, say). Recursion counts
 * a function once per sample.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
function option(name: string): string | null {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
}
const under = option('--under');
const top = Number(option('--top') ?? 40);
const match = option('--match');
const files = args;
if (files.length === 0) {
  console.error('usage: npx tsx bench/profile-summary.ts [--under fn] [--top n] [--match text] <file.cpuprofile>...');
  process.exit(2);
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let busy = 0;
let total = 0;
let insideUnder = 0;

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? path.basename(url) : '';
  return `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // A sample's delta is the time until the next one: the next delta, as DevTools counts it.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') continue;
    busy += dt;
    const stack: ProfileNode[] = [];
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) stack.push(byId.get(id) as ProfileNode);
    stack.reverse();
    let from = 0;
    if (under) {
      from = stack.findIndex((node) => node.callFrame.functionName === under);
      if (from < 0) continue;
      insideUnder += dt;
    }
    const seen = new Set<string>();
    for (let j = from; j < stack.length; j++) {
      const key = keyOf(stack[j]);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
    const leafKey = keyOf(leaf);
    self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
  }
}

const ms = (value: number) => value.toFixed(0).padStart(8);
console.log(`files ${files.length}; sampled ${ms(total)} ms, busy ${ms(busy)} ms${under ? `, inside ${under} ${ms(insideUnder)} ms` : ''}`);
const rows = (map: Map<string, number>) =>
  [...map]
    .filter(([key]) => !match || key.includes(match))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
console.log('\ninclusive (ms)');
for (const [key, value] of rows(inclusive)) console.log(`${ms(value)}  ${key}`);
console.log('\nself (ms)');
for (const [key, value] of rows(self)) console.log(`${ms(value)}  ${key}`);
