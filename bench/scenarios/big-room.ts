/**
 * Big room fan-out: one writer, 200 and 500 readers in the same room. Three
 * runs per size and relay, interleaved like the fan-out scenario; medians.
 */
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic, type TrafficPlan, type TrafficResult } from '../load/traffic.js';
import { latencyTargetRows, type Row, type ScenarioResult } from '../report/rows.js';
import { median, medianSummary } from '../report/stats.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const READERS = [200, 500];
const MESSAGES = 30;
const INTERVAL_MS = 100;
const RUNS = 3;
const KINDS: RelayKind[] = ['reference', 'happy-chat'];

function planFor(readers: number): TrafficPlan {
  return {
    rooms: 1,
    clientsPerRoom: readers + 1,
    writersPerRoom: 1,
    messagesPerWriter: MESSAGES,
    intervalMs: INTERVAL_MS,
    settleTimeoutMs: 15_000,
  };
}

type Runs = Record<string, Record<number, TrafficResult[]>>;

export async function bigRoom(): Promise<ScenarioResult> {
  const relays = await Promise.all(KINDS.map((kind) => RelayProcess.start(kind)));
  const runs: Runs = Object.fromEntries(KINDS.map((kind) => [kind, Object.fromEntries(READERS.map((r) => [r, [] as TrafficResult[]]))]));
  const failures: string[] = [];
  try {
    const sources = relays.map(roomSourceFor);
    for (const source of sources) {
      const warmUp = await runTraffic(source, { ...planFor(50), messagesPerWriter: 5 });
      failures.push(...warmUp.failures.map((f) => `${source.relay.kind} warm-up: ${f}`));
    }
    for (let run = 0; run < RUNS; run++) {
      for (const readers of READERS) {
        for (const source of sources) {
          const result = await runTraffic(source, planFor(readers));
          runs[source.relay.kind][readers].push(result);
          failures.push(...result.failures.map((f) => `${source.relay.kind}, ${readers} readers, run ${run + 1}: ${f}`));
        }
      }
    }
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
  }
  const rows: Row[] = READERS.flatMap((readers) => {
    const of = (kind: RelayKind) => runs[kind][readers];
    const ours = medianSummary(of('happy-chat').map((r) => r.latency));
    const reference = medianSummary(of('reference').map((r) => r.latency));
    const connect = (kind: RelayKind) => median(of(kind).map((r) => r.connectMs));
    const cpu = (kind: RelayKind) => median(of(kind).map((r) => r.relayCpuPerMessageUs));
    const scenario = `big room: 1 writer → ${readers} readers, ${MESSAGES} msgs every ${INTERVAL_MS} ms`;
    return [
      ...latencyTargetRows(scenario, ours, reference, 1.2, RUNS),
      { scenario, metric: 'latency max', unit: 'ms', ours: ours.max, reference: reference.max },
      { scenario, metric: 'relay CPU per message', unit: 'µs', ours: cpu('happy-chat'), reference: cpu('reference') },
      {
        scenario,
        metric: 'delivered exactly (per run)',
        unit: 'count',
        ours: ours.count,
        reference: reference.count,
        note: 'our room: connections of its 2 members',
      },
      {
        scenario,
        metric: `time to open ${readers + 1} connections`,
        unit: 'ms',
        ours: connect('happy-chat'),
        reference: connect('reference'),
        note: 'ours authenticates each; both forward every newcomer’s awareness to the whole room',
      },
    ] satisfies Row[];
  });
  return { name: 'big-room', rows, raw: { readers: READERS, messages: MESSAGES, intervalMs: INTERVAL_MS, runs }, failures };
}
