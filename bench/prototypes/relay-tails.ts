/**
 * What the fan-out's slow deliveries wait on (issue 14, session 15: p95 ≤ 1.2×, p99 ≤ 1.5× the reference). Each
 * relay runs the fan-out plan with relay-tails-preload.mjs loaded, which lists over the measured window its event
 * loop's long turns (a 1 ms timer late by more than 2 ms), its garbage collections, LevelDB's write round trips and
 * a CPU profile; the load client (this process) lists its own long turns and collections and each delivery's send
 * and arrival, all on CLOCK_MONOTONIC. Each long turn of the relay is named by what its profile samples were doing
 * (the module of ours, or the package, on their stacks), and every delivery above the run's p95 is charged to each
 * cause whose interval overlaps its wait: a table of cause → slow deliveries overlapped → ms overlapped.
 *
 *   npx tsx bench/prototypes/relay-tails.ts
 *
 * Env: KINDS (default `happy-chat,reference`), RUNS (measured runs per relay after a warm-up, default 1),
 * OUT (folder for the relays' recordings, default a temporary one), TURNS (long turns to list, default 15), RELAY_ENV
 * (`NAME=value ...` added to the relays' environment).
 */
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeliveryLog } from '../load/delivery-log.js';
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic } from '../load/traffic.js';
import { until } from '../load/waiting.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import { type RelayKind, RelayProcess } from '../servers/relay-process.js';
import { type LoopRecording, loopRecorder } from './relay-tails-loop.js';
import { type Cause, type Interval, type TurnProfile, attribute, namedTurns, type Recording } from './relay-tails-causes.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(HERE, 'relay-tails-preload.mjs');
const BUNDLE = path.join(HERE, '..', '..', 'dist', 'bench-relay', 'happy-chat-relay.js');
const kinds = (process.env.KINDS ?? 'happy-chat,reference').split(',') as RelayKind[];
const runs = Number(process.env.RUNS ?? 1);
/** RELAY_ENV="NAME=value NAME=value": added to both relays' environment (an A/B of a setting, e.g. UV_THREADPOOL_SIZE). */
const relayEnv = Object.fromEntries(
  (process.env.RELAY_ENV ?? '')
    .split(' ')
    .filter(Boolean)
    .map((pair) => pair.split('=', 2)),
);
const listedTurns = Number(process.env.TURNS ?? 15);
const out = process.env.OUT ?? (await mkdtemp(path.join(tmpdir(), 'relay-tails-')));
await mkdir(out, { recursive: true });
/** LevelDB's own info log lines that say what it did (reportLevelDbLog). */
const LEVELDB_EVENTS: Array<[string, RegExp]> = [
  ['a writer waited: memtable full', /memtable full; waiting/],
  ['a writer waited: too many level-0 files', /Too many L0 files; waiting/],
  ['a writer slowed: level-0 files', /L0 slowdown|slowing/i],
  ['memtable flushes', /^Level-0 table #\d+: started/],
  ['compactions', /^Compacting /],
];
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const perfToMonotonic = monotonicMs() - performance.now();

/** Each delivery's send and arrival (monotonic ms), caught where DeliveryLog records its latency. */
const deliveries: Interval[] = [];
const logPrototype = DeliveryLog.prototype as unknown as { arrived: (...args: unknown[]) => void };
const arrived = logPrototype.arrived;
logPrototype.arrived = function (this: DeliveryLog, ...args: unknown[]) {
  const before = this.latencies.length;
  arrived.apply(this, args);
  if (this.latencies.length === before) return;
  const end = (args[3] as number) + perfToMonotonic;
  deliveries.push({ start: end - this.latencies[before], end });
};

const files = new Map(kinds.map((kind) => [kind, path.join(out, `${kind}.json`)]));
const relays = await Promise.all(
  kinds.map((kind) =>
    RelayProcess.start(kind, { ...relayEnv, NODE_OPTIONS: `--import ${PRELOAD}`, RELAY_TAILS_OUT: files.get(kind) ?? '' }),
  ),
);
// Read now: another bench run rebuilds the same bundle, and the profile's line numbers are this build's.
const bundle = kinds.includes('happy-chat') ? await readFile(BUNDLE, 'utf8') : '';
const loadLoop = loopRecorder();
try {
  const sources = relays.map(roomSourceFor);
  for (const source of sources) await runTraffic(source, { ...FAN_OUT_PLAN, messagesPerWriter: 10 });
  for (let run = 1; run <= runs; run++) {
    for (const [i, source] of sources.entries()) {
      const relay = relays[i];
      const file = files.get(relay.kind) ?? '';
      let load: LoopRecording | null = null;
      let loadCpu = process.cpuUsage();
      let window = { start: 0, end: 0 };
      deliveries.length = 0;
      const result = await runTraffic(source, FAN_OUT_PLAN, {
        opened: async () => {
          loadLoop.start();
          loadCpu = process.cpuUsage();
          window = { start: Date.now(), end: 0 };
          process.kill(relay.pid, 'SIGUSR2');
        },
        settled: async () => {
          const written = Date.now();
          process.kill(relay.pid, 'SIGUSR2');
          load = loadLoop.stop();
          loadCpu = process.cpuUsage(loadCpu);
          window.end = Date.now();
          // The preload writes its file once the profile is stopped.
          if (!(await until(() => mtimeMs(file) >= written, 30_000))) throw new Error(`${relay.kind} wrote no recording`);
        },
      });
      const recording = JSON.parse(await readFile(file, 'utf8')) as Recording;
      if (!load) throw new Error('the load client recorded nothing');
      report(relay.kind, run, recording, load, result.failures);
      if (relay.dataDir) reportLevelDbLog(await readFile(path.join(relay.dataDir, 'db', 'LOG'), 'utf8'), window);
      const messages = FAN_OUT_PLAN.rooms * FAN_OUT_PLAN.writersPerRoom * FAN_OUT_PLAN.messagesPerWriter;
      console.log(
        `\nCPU a message: relay ${fixed(result.relayCpuPerMessageUs)} µs, load client ${fixed((loadCpu.user + loadCpu.system) / messages)} µs (this process, user + system)`,
      );
    }
  }
} catch (error) {
  console.error(error, relays.map((relay) => relay.recentStderr).join('\n'));
} finally {
  await Promise.all(relays.map((relay) => relay.stop().catch(() => {})));
}

function mtimeMs(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function report(kind: RelayKind, run: number, recording: Recording, load: LoopRecording, failures: string[]): void {
  const sorted = deliveries.map((d) => d.end - d.start).sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const p95 = quantile(0.95);
  const p99 = quantile(0.99);
  const turns = namedTurns(recording, kind === 'happy-chat' ? bundle : null);
  console.log(
    `\n## ${kind}, run ${run}: ${deliveries.length} deliveries, p50/p95/p99/max ${fixed(quantile(0.5))}/${fixed(p95)}/${fixed(p99)}/${fixed(sorted.at(-1) ?? 0)} ms` +
      `${failures.length > 0 ? `; FAILURES: ${failures.join('; ')}` : ''}`,
  );
  console.log(
    `relay loop delay (monitorEventLoopDelay) p50/p99/max ${fixed(recording.delay.p50)}/${fixed(recording.delay.p99)}/${fixed(recording.delay.max)} ms; ` +
      `long turns (late > 2 ms): relay ${recording.longTurns.length} (${fixed(sum(recording.longTurns))} ms), load client ${load.longTurns.length} (${fixed(sum(load.longTurns))} ms)`,
  );
  console.log(`collections in the window: relay ${gcSummary(recording.gcs)}; load client ${gcSummary(load.gcs)}`);
  const causes: Cause[] = [
    ...turnCauses(turns),
    ...gcCauses('relay GC', recording.gcs),
    ...gcCauses('load client GC', load.gcs),
    { name: 'load client: long turn', intervals: load.longTurns },
    { name: 'relay: LevelDB write > 5 ms (queued → resolved)', intervals: recording.writes.filter((w) => w.end - w.start > 5) },
    { name: 'relay: LevelDB write call > 1 ms (main thread)', intervals: recording.calls?.slow ?? [] },
  ];
  for (const [label, threshold] of [
    ['p95', p95],
    ['p99', p99],
  ] as const) {
    const slow = deliveries.filter((d) => d.end - d.start > threshold);
    const rows = attribute(slow, causes);
    console.log(`\n### ${kind}: ${slow.length} deliveries above ${label} (${fixed(threshold)} ms)\n`);
    console.log(
      '| cause | intervals in window | their ms | slow deliveries overlapped | share | mean ms overlapped each | the largest overlap of |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows.filter((r) => r.overlapped > 0)) {
      console.log(
        `| ${row.name} | ${row.intervals} | ${fixed(row.intervalMs)} | ${row.overlapped} | ${percent(row.overlapped, slow.length)} | ${fixed(row.overlapped > 0 ? row.overlapMs / row.overlapped : 0)} | ${row.largest} |`,
      );
    }
  }
  const writes = recording.writes.map((w) => w.end - w.start).sort((a, b) => a - b);
  if (recording.calls?.count) {
    const { count, ms, slow } = recording.calls;
    console.log(
      `\nLevelDB write calls on the main thread: ${count}, ${fixed(ms)} ms in all (${fixed((ms * 1000) / count)} µs each), ${slow.length} over 1 ms (${fixed(sum(slow))} ms)`,
    );
  }
  if (writes.length > 0) {
    const at = (q: number) => writes[Math.min(writes.length - 1, Math.floor(q * writes.length))];
    console.log(
      `\nLevelDB writes: ${writes.length}, round trip p50/p95/p99/max ${fixed(at(0.5))}/${fixed(at(0.95))}/${fixed(at(0.99))}/${fixed(writes.at(-1) ?? 0)} ms`,
    );
  }
  console.log(`\nthe ${listedTurns} longest relay turns (what their samples were doing):`);
  for (const turn of [...turns].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, listedTurns)) {
    console.log(`- ${fixed(turn.end - turn.start)} ms at +${fixed(turn.start - recording.startedAt)} ms: ${turn.name} (${turn.detail})`);
  }
}

/**
 * What LevelDB's own info log says happened in the window: memtable flushes, compactions, and writers that had to
 * wait for them (its `MakeRoomForWrite`: a full memtable while the previous one is still being flushed, or too many
 * level-0 files). Counts, whatever the machine's load; LOG's times are the local wall clock, to the microsecond.
 */
function reportLevelDbLog(log: string, window: { start: number; end: number }): void {
  const counts = new Map<string, number>();
  const waits: string[] = [];
  for (const line of log.split('\n')) {
    const match = /^(\d{4})\/(\d\d)\/(\d\d)-(\d\d):(\d\d):(\d\d)\.(\d{6}) \S+ (.*)$/.exec(line);
    if (!match) continue;
    const [, y, mo, d, h, mi, sec, us, text] = match;
    const at = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)).getTime() + Number(us) / 1000;
    if (at < window.start || at > window.end) continue;
    const kind = LEVELDB_EVENTS.find(([, pattern]) => pattern.test(text))?.[0];
    if (!kind) continue;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (kind.startsWith('a writer waited')) waits.push(`+${fixed(at - window.start)} ms ${text.trim()}`);
  }
  console.log(
    `\nLevelDB's LOG in the window: ${[...counts].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'nothing'}` +
      (waits.length > 0 ? `\n  ${waits.join('\n  ')}` : ''),
  );
}

function turnCauses(turns: TurnProfile[]): Cause[] {
  const byName = new Map<string, Interval[]>();
  for (const turn of turns) {
    const list = byName.get(turn.name) ?? [];
    list.push(turn);
    byName.set(turn.name, list);
  }
  return [...byName].map(([name, intervals]) => ({ name: `relay long turn: ${name}`, intervals }));
}

function gcCauses(who: string, gcs: Recording['gcs']): Cause[] {
  const kindsSeen = [...new Set(gcs.map((gc) => gc.kind))];
  return kindsSeen.map((gcKind) => ({
    name: `${who}: ${gcKind}`,
    intervals: gcs.filter((gc) => gc.kind === gcKind).map((gc) => ({ start: gc.start, end: gc.start + gc.ms })),
  }));
}

function gcSummary(gcs: Recording['gcs']): string {
  const byKind = new Map<string, number[]>();
  for (const gc of gcs) byKind.set(gc.kind, [...(byKind.get(gc.kind) ?? []), gc.ms]);
  const parts = [...byKind].map(
    ([kind, pauses]) => `${kind} ${pauses.length} (${fixed(pauses.reduce((a, b) => a + b, 0))} ms, longest ${fixed(Math.max(...pauses))})`,
  );
  return parts.join(', ') || 'none';
}

function sum(intervals: Interval[]): number {
  return intervals.reduce((total, i) => total + i.end - i.start, 0);
}

function fixed(n: number): string {
  return n.toFixed(n < 10 ? 2 : 0);
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(0)} %` : '-';
}
