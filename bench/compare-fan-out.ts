/**
 * Before/after on one machine in one run (issue 14): the fan-in/out plan
 * (scenarios/fan-out.ts) against the reference relay, our relay as another
 * checkout has it (`BENCH_BASE=<dir>`, e.g. `git archive <commit> | tar -x
 * -C <dir>` with `node_modules` linked), and our relay as this tree has it,
 * interleaved run by run so the machine's load falls on all three alike.
 * Prints each run's relay CPU per message (user + system time of the relay
 * process, `/proc`), split into the main thread and the rest (LevelDB's and
 * V8's threads), the latencies, and the medians. A loaded machine starves
 * the relays and inflates latencies; CPU per message moves less.
 *
 *   BENCH_BASE=/tmp/base BENCH_UNLOAD_GRACE_MS=10000 npx tsx bench/compare-fan-out.ts
 *
 * `RUNS` (3) runs per relay after one short warm-up each. Exits 1 if a run
 * lost, duplicated or misnumbered a message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RoomSource, roomSourceFor } from './load/rooms.js';
import { runTraffic } from './load/traffic.js';
import { median } from './report/stats.js';
import { FAN_OUT_PLAN } from './scenarios/fan-out.js';
import { RelayProcess } from './servers/relay-process.js';

/** USER_HZ, as relay-process.ts reads it. */
const CLOCK_TICKS_PER_SECOND = 100;

interface Contender {
  name: string;
  source: RoomSource;
  stop(): Promise<void>;
}

/** CPU ticks of the process's main thread and of all its other threads together. */
function threadTicks(pid: number): { main: number; others: number } {
  const ticks = { main: 0, others: 0 };
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = Number(fields[11]) + Number(fields[12]);
    if (task === String(pid)) ticks.main += used;
    else ticks.others += used;
  }
  return ticks;
}

/** Our relay as the checkout at `dir` starts it, with that checkout's own bench code. */
async function baseContender(dir: string): Promise<Contender> {
  const relayModule = pathToFileURL(path.join(dir, 'bench/servers/relay-process.ts')).href;
  const roomsModule = pathToFileURL(path.join(dir, 'bench/load/rooms.ts')).href;
  const { RelayProcess: BaseRelayProcess } = (await import(relayModule)) as typeof import('./servers/relay-process.js');
  const { roomSourceFor: baseRoomSourceFor } = (await import(roomsModule)) as typeof import('./load/rooms.js');
  const relay = await BaseRelayProcess.start('happy-chat');
  return { name: 'before', source: baseRoomSourceFor(relay), stop: () => relay.stop() };
}

async function contender(name: string, kind: 'reference' | 'happy-chat'): Promise<Contender> {
  const relay = await RelayProcess.start(kind);
  return { name, source: roomSourceFor(relay), stop: () => relay.stop() };
}

const base = process.env.BENCH_BASE;
if (!base) throw new Error('set BENCH_BASE to the directory of the checkout to compare with');
const runs = Number(process.env.RUNS ?? 3);
const contenders = [await contender('reference', 'reference'), await baseContender(base), await contender('after', 'happy-chat')];
const messages = FAN_OUT_PLAN.rooms * FAN_OUT_PLAN.writersPerRoom * FAN_OUT_PLAN.messagesPerWriter;
const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
let failed = false;
try {
  for (const { name, source } of contenders) {
    const warmUp = await runTraffic(source, { ...FAN_OUT_PLAN, messagesPerWriter: 10 });
    if (warmUp.failures.length > 0) console.log(`${name} warm-up FAILED: ${warmUp.failures.join('; ')}`);
  }
  console.log(`load average at start ${loadavg()[0].toFixed(1)}`);
  for (let run = 0; run < runs; run++) {
    for (const { name, source } of contenders) {
      const before = threadTicks(source.relay.pid);
      const result = await runTraffic(source, FAN_OUT_PLAN);
      const after = threadTicks(source.relay.pid);
      const perMessage = (ticks: number) => Math.round((ticks * 1e6) / CLOCK_TICKS_PER_SECOND / messages);
      cpu.get(name)?.push(result.relayCpuPerMessageUs);
      if (result.failures.length > 0) failed = true;
      const { p50, p95, p99 } = result.latency;
      // By group of threads and LevelDB's jobs on the libuv pool, where both checkouts' bench relays report them.
      const groups = result.relayThreadCpuPerMessageUs;
      const split = groups
        ? ` [${Object.entries(groups)
            .map(([group, us]) => `${group} ${Math.round(us)}`)
            .join(', ')}]`
        : '';
      const store = result.storePerMessage;
      const jobs = store
        ? ` [per 1,000 messages: ${Math.round(store.poolJobs * 1000)} pool jobs, ${Math.round((store.puts + store.batches) * 1000)} writes]`
        : '';
      console.log(
        `${name.padEnd(10)} ${Math.round(result.relayCpuPerMessageUs)} µs/msg (main ${perMessage(after.main - before.main)},` +
          ` other threads ${perMessage(after.others - before.others)})${split}${jobs}; latency p50/p95/p99 ${[p50, p95, p99].map((ms) => ms.toFixed(2)).join(' / ')} ms;` +
          ` load ${loadavg()[0].toFixed(1)}${result.failures.length > 0 ? `; FAILED: ${result.failures.join('; ')}` : ''}`,
      );
    }
  }
} finally {
  await Promise.all(contenders.map((c) => c.stop()));
}
const reference = median(cpu.get('reference') ?? []);
for (const [name, values] of cpu) {
  const value = median(values);
  console.log(`median ${name.padEnd(10)} ${Math.round(value)} µs per message, ${(value / reference).toFixed(2)}× the reference`);
}
console.log(`load average at end ${loadavg()[0].toFixed(1)}`);
if (failed) process.exitCode = 1;
