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
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic } from '../load/traffic.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import type { GcCounts } from '../servers/child-control.js';
import { type RelayKind, RelayProcess } from '../servers/relay-process.js';
import { printTable, sampledBytes } from './heap-profile-tables.js';

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
  const { total, byPackage, self, nearestOurs } = sampledBytes(file);
  const perMessage = (bytes: number) => Math.round(bytes / messages);
  console.log(
    `\n## ${kind}, run ${run}: ${perMessage(total)} B allocated a message (${(total / 2 ** 20).toFixed(1)} MiB / ${messages}); ` +
      `per 1,000 messages ${fixed((gcs.minor * 1000) / messages)} scavenges, ${fixed(((gcs.major + gcs.incremental) * 1000) / messages)} mark-sweeps ` +
      `(${gcs.major} full, ${gcs.incremental} incremental steps), GC pauses ${fixed((gcs.pauseMs * 1000) / messages)} µs a message` +
      `${failures.length > 0 ? `; FAILURES: ${failures.join('; ')}` : ''}\n${file}`,
  );
  printTable('by package', byPackage, total, messages, top);
  printTable('self (the function that allocated)', self, total, messages, top);
  printTable('nearest function of ours on the stack', nearestOurs, total, messages, top);
}

function fixed(n: number): string {
  return n.toFixed(n < 10 ? 2 : 0);
}
