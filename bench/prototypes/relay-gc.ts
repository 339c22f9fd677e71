/**
 * What a relay's garbage collector does per message in the fan-out plan (issue 14, session 14): every
 * collection over the measured window (connections open, first send to last delivery) from V8's GCProfiler
 * in the relay (kind, main-thread cost, each heap space before and after), counted per 1,000 messages, with
 * the bytes each scavenge promoted to the old generation and the old generation's size; and, in the same
 * window, V8's sampling heap profiler keeping only the samples no scavenge collected: the objects that
 * survived the young generation, by the function that allocated them. Counts, not timings: the costs are
 * main-thread microseconds and move with the machine's load, the counts and bytes do not.
 *
 *   npx tsx bench/prototypes/relay-gc.ts
 *
 * Env: KINDS (default `happy-chat,reference`), RUNS (measured runs per relay after a warm-up, default 1),
 * SURVIVORS (`off`: count collections only, no heap sampling), SAMPLING (bytes between samples, default
 * 1024), TOP (rows per table, default 20), OUT (folder for the `.heapprofile` files, default a temporary one),
 * SNAPSHOTS (`on`: a heap snapshot of each relay before and after each measured run, outside the window, for
 * `bench/prototypes/heap-snapshot-diff.ts`: what the run left live).
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic } from '../load/traffic.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import type { GcRecord } from '../servers/child-control.js';
import { type RelayKind, RelayProcess } from '../servers/relay-process.js';
import { printTable, sampledBytes } from './heap-profile-tables.js';

const kinds = (process.env.KINDS ?? 'happy-chat,reference').split(',') as RelayKind[];
const runs = Number(process.env.RUNS ?? 1);
const survivors = process.env.SURVIVORS !== 'off';
const sampling = Number(process.env.SAMPLING ?? 1024);
const top = Number(process.env.TOP ?? 20);
const snapshots = process.env.SNAPSHOTS === 'on';
const out = process.env.OUT ?? (await mkdtemp(path.join(tmpdir(), 'relay-gc-')));
await mkdir(out, { recursive: true });
const messages = FAN_OUT_PLAN.rooms * FAN_OUT_PLAN.writersPerRoom * FAN_OUT_PLAN.messagesPerWriter;
/** The old generation: where a scavenge promotes to (large objects move pages from new_large_object_space). */
const OLD_SPACES = ['old_space', 'large_object_space', 'code_space'];

const relays = await Promise.all(kinds.map((kind) => RelayProcess.start(kind)));
try {
  const sources = relays.map(roomSourceFor);
  for (const source of sources) await runTraffic(source, { ...FAN_OUT_PLAN, messagesPerWriter: 10 });
  for (let run = 1; run <= runs; run++) {
    for (const [i, source] of sources.entries()) {
      const relay = relays[i];
      const file = path.join(out, `${relay.kind}-survivors-${run}.heapprofile`);
      let collections: GcRecord[] = [];
      const snapshot = (when: string) => path.join(out, `${relay.kind}-${run}-${when}.heapsnapshot`);
      if (snapshots) await relay.heapSnapshot(snapshot('before'));
      const result = await runTraffic(source, FAN_OUT_PLAN, {
        opened: async () => {
          await relay.startGcTrace();
          if (survivors) await relay.startAllocations(sampling, 'scavenge-survivors');
        },
        settled: async () => {
          if (survivors) await relay.stopAllocations(file);
          collections = await relay.stopGcTrace();
        },
      });
      if (snapshots) {
        await relay.heapSnapshot(snapshot('after'));
        console.log(`\nheap snapshots: ${snapshot('before')} ${snapshot('after')}`);
      }
      report(relay.kind, run, collections, result.failures);
      if (survivors) reportSurvivors(file);
    }
  }
} finally {
  await Promise.all(relays.map((relay) => relay.stop()));
}

function report(kind: RelayKind, run: number, collections: GcRecord[], failures: string[]): void {
  const old = (spaces: Record<string, number>) => OLD_SPACES.reduce((sum, name) => sum + (spaces[name] ?? 0), 0);
  const byKind = new Map<string, { count: number; costUs: number }>();
  for (const gc of collections) {
    const entry = byKind.get(gc.kind) ?? { count: 0, costUs: 0 };
    entry.count++;
    entry.costUs += gc.costUs;
    byKind.set(gc.kind, entry);
  }
  const scavenges = collections.filter((gc) => gc.kind === 'Scavenge');
  const promoted = scavenges.reduce((sum, gc) => sum + Math.max(0, old(gc.after) - old(gc.before)), 0);
  const survivedYoung = scavenges.reduce((sum, gc) => sum + (gc.after.new_space ?? 0) + (gc.after.new_large_object_space ?? 0), 0);
  const scavenged = scavenges.reduce((sum, gc) => sum + (gc.before.new_space ?? 0) + (gc.before.new_large_object_space ?? 0), 0);
  const fulls = collections.filter((gc) => gc.kind === 'MarkSweepCompact');
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const first = collections[0];
  const last = collections.at(-1);
  console.log(
    `\n## ${kind}, run ${run}: ${collections.length} collections over ${messages} messages${failures.length > 0 ? `; FAILURES: ${failures.join('; ')}` : ''}`,
  );
  console.log('\n| kind | per 1,000 messages | main-thread cost, µs a message | µs each |\n| --- | ---: | ---: | ---: |');
  for (const [name, { count, costUs }] of byKind) {
    console.log(`| ${name} | ${fixed((count * 1000) / messages)} | ${fixed(costUs / messages)} | ${fixed(costUs / count)} |`);
  }
  console.log(
    `\nscavenges: young generation ${mib(Math.max(...collections.map((gc) => gc.newSpaceSize), 0))} at most; ` +
      `${Math.round(scavenged / messages)} B a message scavenged, ${Math.round(survivedYoung / messages)} B a message kept young (copied), ` +
      `${Math.round(promoted / messages)} B a message promoted (${percent(promoted + survivedYoung, scavenged)} survived)`,
  );
  console.log(
    `old generation: ${first ? mib(old(first.before)) : '-'} at the first collection, ${last ? mib(old(last.after)) : '-'} after the last; ` +
      `full collections: ${fulls.map((gc) => `${mib(old(gc.before))} → ${mib(old(gc.after))}`).join(', ') || 'none'}`,
  );
}

function reportSurvivors(file: string): void {
  const { total, byPackage, self, nearestOurs } = sampledBytes(file);
  console.log(
    `\nsurvived a scavenge (sampled, every ${sampling} B): ${Math.round(total / messages)} B a message; ` +
      `what died in the old generation is included\n${file}`,
  );
  printTable('survivors by package', byPackage, total, messages, top);
  printTable('survivors by the function that allocated them', self, total, messages, top);
  printTable('survivors by the nearest function of ours on the stack', nearestOurs, total, messages, top);
}

function fixed(n: number): string {
  return n.toFixed(n < 10 ? 2 : 0);
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : '-';
}
