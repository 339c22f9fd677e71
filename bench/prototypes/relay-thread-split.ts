/**
 * Our relay alone through the fan-out plan (a warm-up, then `RUNS` runs, 2),
 * its CPU per message by thread id and group and its LevelDB counts per 1,000
 * messages (issue 14, session 11); `BENCH_RELAY_NODE_FLAGS` for runtime flags.
 */
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic } from '../load/traffic.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import { RelayProcess } from '../servers/relay-process.js';
import { threadTicks } from '../servers/thread-groups.js';
const relay = await RelayProcess.start('happy-chat');
const source = roomSourceFor(relay);
const messages = FAN_OUT_PLAN.rooms * FAN_OUT_PLAN.writersPerRoom * FAN_OUT_PLAN.messagesPerWriter;
try {
  await runTraffic(source, { ...FAN_OUT_PLAN, messagesPerWriter: 10 });
  for (let run = 0; run < Number(process.env.RUNS ?? 2); run++) {
    const before = threadTicks(relay.pid);
    const result = await runTraffic(source, FAN_OUT_PLAN);
    const after = threadTicks(relay.pid);
    const per = [...after].map(([tid, t]) => `${tid - relay.pid}:${Math.round(((t - (before.get(tid) ?? 0)) * 1e4) / messages)}`).join(' ');
    console.log(
      process.env.BENCH_RELAY_NODE_FLAGS ?? 'default',
      Math.round(result.relayCpuPerMessageUs),
      'µs; by tid (µs/msg):',
      per,
      '| p50',
      result.latency.p50.toFixed(2),
      'p95',
      result.latency.p95.toFixed(1),
      JSON.stringify(result.relayThreadCpuPerMessageUs),
      JSON.stringify(Object.fromEntries(Object.entries(result.storePerMessage ?? {}).map(([k, v]) => [k, Math.round(v * 1000)]))),
      result.failures.join(';'),
    );
  }
} finally {
  await relay.stop();
}
