import { RelayProcess, type RelayKind } from './servers/relay-process.js';
import { roomSourceFor } from './load/rooms.js';
import { runTraffic } from './load/traffic.js';
const kinds = (process.argv[2] ?? 'reference,happy-chat').split(',') as RelayKind[];
const interval = Number(process.argv[3] ?? 200);
const msgs = Number(process.argv[4] ?? 100);
for (const kind of kinds) {
  const relay = await RelayProcess.start(kind);
  const src = roomSourceFor(relay);
  await runTraffic(src, { rooms: 10, clientsPerRoom: 10, writersPerRoom: 10, messagesPerWriter: 10, intervalMs: interval, settleTimeoutMs: 10000 });
  const cpu0 = process.cpuUsage();
  const r = await runTraffic(src, { rooms: 10, clientsPerRoom: 10, writersPerRoom: 10, messagesPerWriter: msgs, intervalMs: interval, settleTimeoutMs: 10000 });
  const cpu = process.cpuUsage(cpu0);
  console.log(kind, JSON.stringify(r), 'loadcpu', (cpu.user + cpu.system) / 1000 / r.durationMs);
  await relay.stop();
}
