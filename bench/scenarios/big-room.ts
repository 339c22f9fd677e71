/** Big room fan-out: one writer, 200 and 500 readers in the same room. */
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic, type TrafficPlan, type TrafficResult } from '../load/traffic.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess, type RelayKind } from '../servers/relay-process.js';

const READERS = [200, 500];
const MESSAGES = 30;
const INTERVAL_MS = 100;
const KINDS: RelayKind[] = ['reference', 'happy-chat'];

function planFor(readers: number): TrafficPlan {
  return { rooms: 1, clientsPerRoom: readers + 1, writersPerRoom: 1, messagesPerWriter: MESSAGES, intervalMs: INTERVAL_MS, settleTimeoutMs: 15_000 };
}

export async function bigRoom(): Promise<ScenarioResult> {
  const results: Record<string, Record<number, TrafficResult>> = {};
  const failures: string[] = [];
  for (const kind of KINDS) {
    const relay = await RelayProcess.start(kind);
    try {
      const source = roomSourceFor(relay);
      results[kind] = {};
      // A short warm-up, as in the fan-out scenario.
      const warmUp = await runTraffic(source, { ...planFor(50), messagesPerWriter: 5 });
      failures.push(...warmUp.failures.map((f) => `${kind} warm-up: ${f}`));
      for (const readers of READERS) {
        const result = await runTraffic(source, planFor(readers));
        results[kind][readers] = result;
        failures.push(...result.failures.map((f) => `${kind}, ${readers} readers: ${f}`));
      }
    } finally {
      await relay.stop();
    }
  }
  const rows: Row[] = READERS.flatMap((readers) => {
    const ours = results['happy-chat'][readers];
    const reference = results.reference[readers];
    const scenario = `big room: 1 writer → ${readers} readers, ${MESSAGES} msgs every ${INTERVAL_MS} ms`;
    return [
      { scenario, metric: 'latency p50', unit: 'ms', ours: ours.latency.p50, reference: reference.latency.p50, target: { kind: 'at-most-ratio', ratio: 1.2 }, note: 'one run' },
      { scenario, metric: 'latency p95', unit: 'ms', ours: ours.latency.p95, reference: reference.latency.p95, target: { kind: 'at-most-ratio', ratio: 1.2 } },
      { scenario, metric: 'latency max', unit: 'ms', ours: ours.latency.max, reference: reference.latency.max },
      { scenario, metric: 'delivered exactly', unit: 'count', ours: ours.deliveries, reference: reference.deliveries, note: 'our room: the 2 members’ connections' },
      { scenario, metric: `time to open ${readers + 1} connections`, unit: 'ms', ours: ours.connectMs, reference: reference.connectMs, note: 'ours authenticates each' },
    ] satisfies Row[];
  });
  return { name: 'big-room', rows, raw: { readers: READERS, messages: MESSAGES, intervalMs: INTERVAL_MS, results }, failures };
}
