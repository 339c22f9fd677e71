/**
 * `npm run bench`: starts every relay it needs on loopback, runs the bounded
 * scenarios, prints the machine and a table of our figures beside the
 * reference's (measured in the same run), and keeps the run as JSON in
 * bench/results/. Exits 1 if any scenario lost, duplicated or refused
 * something. `npm run bench -- --only fan-out,cold-sync` runs a subset;
 * `--only cluster` runs the relay cluster (PostgreSQL and Redis; not in the default set);
 * `--markdown` also prints the table as Markdown (for docs/PERFORMANCE.md);
 * `--profile` has every relay write a V8 CPU profile into bench/profiles/.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, formatMachine, loadAverageNow } from './report/machine.js';
import { saveRun } from './report/results-file.js';
import type { ScenarioResult } from './report/rows.js';
import { formatMarkdown, formatTable } from './report/table.js';
import { bigRoom } from './scenarios/big-room.js';
import { clientApp } from './scenarios/client-app.js';
import { clusterScenario } from './scenarios/cluster.js';
import { coldSync } from './scenarios/cold-sync.js';
import { fanOut } from './scenarios/fan-out.js';
import { headsCpu } from './scenarios/heads-cpu.js';
import { history } from './scenarios/history.js';
import { idleCapacity } from './scenarios/idle-capacity.js';
import { inbox } from './scenarios/inbox.js';
import { nonReadingSockets } from './scenarios/non-reading-sockets.js';
import { oneSocket } from './scenarios/one-socket.js';
import { roomHeap } from './scenarios/room-heap.js';
import { searchScenario } from './scenarios/search.js';
import { PROFILE_DIR_ENV } from './servers/relay-process.js';

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  'fan-out': fanOut,
  'big-room': bigRoom,
  'idle-capacity': idleCapacity,
  'room-heap': roomHeap,
  'cold-sync': coldSync,
  client: clientApp,
  'non-reading-sockets': nonReadingSockets,
  'one-socket': oneSocket,
  inbox,
  heads: headsCpu,
  search: searchScenario,
  history,
  cluster: clusterScenario,
};
/** Run only when named (`--only cluster`): they need more than the machine's Node (PostgreSQL and Redis on loopback). */
const ONLY_WHEN_NAMED = new Set(['cluster']);

function selectedScenarios(args: string[]): string[] {
  const only = args.find((arg) => arg.startsWith('--only'));
  if (!only) return Object.keys(SCENARIOS).filter((name) => !ONLY_WHEN_NAMED.has(name));
  const value = only.includes('=') ? only.split('=')[1] : (args[args.indexOf(only) + 1] ?? '');
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return names;
}

function revision(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

const args = process.argv.slice(2);
const names = selectedScenarios(args);
if (args.includes('--profile')) {
  process.env[PROFILE_DIR_ENV] = path.join(path.dirname(fileURLToPath(import.meta.url)), 'profiles');
  console.log(`CPU profiles of the relays go to ${process.env[PROFILE_DIR_ENV]}`);
}
const machine = describeMachine();
const startedAt = new Date().toISOString();
const started = performance.now();
console.log(formatMachine(machine));
console.log(`Scenarios: ${names.join(', ')}\n`);

const results: ScenarioResult[] = [];
for (const name of names) {
  const scenarioStart = performance.now();
  process.stdout.write(`${name} … `);
  let result: ScenarioResult;
  try {
    result = await SCENARIOS[name]();
  } catch (error) {
    // One broken scenario must not hide the others' figures.
    const message = error instanceof Error ? error.message : String(error);
    result = { name, rows: [], raw: { error: error instanceof Error ? error.stack : message }, failures: [`did not complete: ${message}`] };
  }
  result.seconds = Math.round((performance.now() - scenarioStart) / 100) / 10;
  results.push(result);
  console.log(`${result.seconds} s${result.failures.length > 0 ? ` — ${result.failures.length} FAILURE(S)` : ''}`);
}

const rows = results.flatMap((result) => result.rows);
const failures = results.flatMap((result) => result.failures.map((failure) => `${result.name}: ${failure}`));
const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
console.log(`\n${formatTable(rows)}\n`);
if (args.includes('--markdown')) console.log(`${formatMarkdown(rows)}\n`);
const loadAverageAtEnd = loadAverageNow();
console.log(`Load average (1 min) at end: ${loadAverageAtEnd}`);
const file = await saveRun({
  startedAt,
  machine,
  revision: revision(),
  passed: failures.length === 0,
  totalSeconds,
  loadAverageAtEnd,
  scenarios: results,
});
console.log(`${failures.length === 0 ? 'PASSED' : 'FAILED'} in ${totalSeconds} s; results in ${file}`);
for (const failure of failures) console.log(`  FAILURE ${failure}`);
process.exit(failures.length === 0 ? 0 : 1);
