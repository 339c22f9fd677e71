/**
 * Fan-in/fan-out (the headline): 10 rooms × 10 connections, every
 * connection sending paced messages. Three runs per relay, interleaved so
 * that machine noise falls on both alike; the table shows medians. The same
 * runs of our relay with the store's writes off give the durability cost,
 * and with the update validator off, the validator's cost.
 */
import { roomSourceFor, type RoomSource } from '../load/rooms.js';
import { runTraffic, type TrafficPlan, type TrafficResult } from '../load/traffic.js';
import { latencyTargetRows, type Row, type ScenarioResult } from '../report/rows.js';
import { median, medianSummary } from '../report/stats.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';
import type { StoreCounts } from '../servers/store-counters.js';
import { THREAD_GROUPS } from '../servers/thread-groups.js';

/** 4,500 deliveries/s offered (the reference rate): 100 writers × 5 messages/s × 9 readers. */
export const FAN_OUT_PLAN: TrafficPlan = {
  rooms: 10,
  clientsPerRoom: 10,
  writersPerRoom: 10,
  messagesPerWriter: 50,
  intervalMs: 200,
  settleTimeoutMs: 10_000,
};
const WARM_UP: TrafficPlan = { ...FAN_OUT_PLAN, messagesPerWriter: 10 };
const RUNS = 3;
const KINDS: RelayKind[] = ['reference', 'happy-chat', 'happy-chat-writes-off', 'happy-chat-validator-off'];

export async function fanOut(): Promise<ScenarioResult> {
  const relays = await Promise.all(KINDS.map((kind) => RelayProcess.start(kind)));
  try {
    const sources = relays.map(roomSourceFor);
    // JIT and first-use costs are not what we compare; a warm-up run must still be correct.
    const warmUpFailures: string[] = [];
    for (const source of sources) {
      const warmUp = await runTraffic(source, WARM_UP);
      warmUpFailures.push(...warmUp.failures.map((f) => `${source.relay.kind} warm-up: ${f}`));
    }
    const runs = new Map<RelayKind, TrafficResult[]>(KINDS.map((kind) => [kind, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const source of sources) runs.get(source.relay.kind)?.push(await runTraffic(source, FAN_OUT_PLAN));
    }
    const result = report(runs, sources);
    result.failures.unshift(...warmUpFailures);
    return result;
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
  }
}

function report(runs: Map<RelayKind, TrafficResult[]>, sources: RoomSource[]): ScenarioResult {
  const of = (kind: RelayKind) => runs.get(kind) ?? [];
  const latency = (kind: RelayKind) => medianSummary(of(kind).map((r) => r.latency));
  const rate = (kind: RelayKind) => median(of(kind).map((r) => r.deliveriesPerSecond));
  const cpu = (kind: RelayKind) => median(of(kind).map((r) => r.relayCpuPerMessageUs));
  const threadCpu = (kind: RelayKind, group: (typeof THREAD_GROUPS)[number]) =>
    median(of(kind).flatMap((r) => (r.relayThreadCpuPerMessageUs ? [r.relayThreadCpuPerMessageUs[group]] : [])));
  /** The sum of `keys` per message in each run of ours, median of the runs. */
  const store = (...keys: Array<keyof StoreCounts>) =>
    median(
      of('happy-chat').flatMap((r) => (r.storePerMessage ? [keys.reduce((sum, key) => sum + (r.storePerMessage?.[key] ?? 0), 0)] : [])),
    );
  const ours = latency('happy-chat');
  const reference = latency('reference');
  const off = latency('happy-chat-writes-off');
  const unchecked = latency('happy-chat-validator-off');
  const ack = medianSummary(of('happy-chat').flatMap((r) => (r.ack ? [r.ack] : [])));
  const { rooms, clientsPerRoom, messagesPerWriter, intervalMs } = FAN_OUT_PLAN;
  const scenario = `fan-in/out ${rooms}×${clientsPerRoom}, ${messagesPerWriter} msgs each every ${intervalMs} ms`;
  const rows: Row[] = [
    ...latencyTargetRows(scenario, ours, reference, 1.2, RUNS),
    { scenario, metric: 'latency p99', unit: 'ms', ours: ours.p99, reference: reference.p99 },
    { scenario, metric: 'latency max', unit: 'ms', ours: ours.max, reference: reference.max },
    {
      scenario,
      metric: 'deliveries',
      unit: 'per s',
      ours: rate('happy-chat'),
      reference: rate('reference'),
      target: { kind: 'at-least-ratio', ratio: 0.9 },
    },
    {
      scenario,
      metric: 'delivered exactly (per run)',
      unit: 'count',
      ours: ours.count,
      reference: reference.count,
      note: 'our rooms: 5 connections of each of 2 members',
    },
    {
      scenario,
      metric: 'relay CPU per message',
      unit: 'µs',
      ours: cpu('happy-chat'),
      reference: cpu('reference'),
      note: 'user+system time of the relay process, median of the runs',
    },
    // Where the CPU is (issue 14): LevelDB's work runs on the libuv pool and on its own thread, which a V8 profile does not show.
    ...THREAD_GROUPS.map(
      (group): Row => ({
        scenario,
        metric: `relay CPU per message: ${group}`,
        unit: 'µs',
        ours: threadCpu('happy-chat', group),
        reference: threadCpu('reference', group),
        note: 'threads by group (servers/thread-groups.ts), median of the runs',
      }),
    ),
    ...(
      [
        ['LevelDB writes (put, del, batch) per 1,000 messages', ['puts', 'dels', 'batches']],
        ['LevelDB operations written per 1,000 messages', ['puts', 'dels', 'batchOps']],
        ['LevelDB reads (get, getMany, iterator) per 1,000 messages', ['gets', 'getManys', 'iterators']],
        ['LevelDB jobs on the libuv pool per 1,000 messages', ['poolJobs']],
      ] as const
    ).map(
      ([metric, keys]): Row => ({
        scenario,
        metric,
        unit: 'count',
        ours: store(...keys) * 1000,
        reference: 'no store',
        note: 'servers/store-counters.ts, median of the runs',
      }),
    ),
    { scenario, metric: 'LevelDB bytes written per message', unit: 'bytes', ours: store('bytesWritten'), reference: 'no store' },
    {
      scenario,
      metric: 'LevelDB flush and compaction writes per message',
      unit: 'bytes',
      ours: store('compactionWrittenMiB') * 2 ** 20,
      reference: 'no store',
      note: "leveldb.stats' Write(MB), 1 MiB steps",
    },
    { scenario, metric: 'delivered tick (seq) p50', unit: 'ms', ours: ack.p50, reference: 'no sequencer' },
    { scenario, metric: 'delivered tick (seq) p95', unit: 'ms', ours: ack.p95, reference: 'no sequencer' },
    { scenario: 'durability cost (same runs)', metric: 'latency p50, writes off', unit: 'ms', ours: off.p50, reference: 'no store' },
    { scenario: 'durability cost (same runs)', metric: 'latency p95, writes off', unit: 'ms', ours: off.p95, reference: 'no store' },
    { scenario: 'durability cost (same runs)', metric: 'latency p99, writes off', unit: 'ms', ours: off.p99, reference: 'no store' },
    {
      scenario: 'durability cost (same runs)',
      metric: 'deliveries, writes off',
      unit: 'per s',
      ours: rate('happy-chat-writes-off'),
      reference: 'no store',
    },
    {
      scenario: 'durability cost (same runs)',
      metric: 'relay CPU per message, writes off',
      unit: 'µs',
      ours: cpu('happy-chat-writes-off'),
      reference: 'no store',
    },
    {
      scenario: 'validator cost (same runs)',
      metric: 'latency p50, validator off',
      unit: 'ms',
      ours: unchecked.p50,
      reference: 'no validator',
    },
    {
      scenario: 'validator cost (same runs)',
      metric: 'latency p95, validator off',
      unit: 'ms',
      ours: unchecked.p95,
      reference: 'no validator',
    },
    {
      scenario: 'validator cost (same runs)',
      metric: 'deliveries, validator off',
      unit: 'per s',
      ours: rate('happy-chat-validator-off'),
      reference: 'no validator',
    },
    {
      scenario: 'validator cost (same runs)',
      metric: 'relay CPU per message, validator off',
      unit: 'µs',
      ours: cpu('happy-chat-validator-off'),
      reference: 'no validator',
    },
  ];
  const failures = sources.flatMap((source) =>
    of(source.relay.kind).flatMap((r, i) => r.failures.map((f) => `${source.relay.kind} run ${i + 1}: ${f}`)),
  );
  return { name: 'fan-out', rows, raw: { plan: FAN_OUT_PLAN, runs: Object.fromEntries(runs) }, failures };
}
