// A preload for cluster-costs.ts in every relay: statements sent by text, ioredis commands by connection, PUBLISHes by
// channel kind, WebSocket sends, and socket writes (one per write or writev system call) and their bytes by peer port.
import { createRequire } from 'node:module';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
const require = createRequire(import.meta.url);
const counts = { statements: {}, redis: {}, publishes: {}, wsSends: 0, wsSendBytes: 0, writes: {}, writeBytes: {}, gcs: {}, gcMs: {} };
// Garbage collections by kind, with their pause on the main thread (their helper threads' CPU is in /proc's).
import { PerformanceObserver, constants } from 'node:perf_hooks';
const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
    counts.gcs[kind] = (counts.gcs[kind] ?? 0) + 1;
    counts.gcMs[kind] = (counts.gcMs[kind] ?? 0) + entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
const writeGeneric = net.Socket.prototype._writeGeneric;
net.Socket.prototype._writeGeneric = function (writev, data, encoding, cb) {
  // Sockets a client opened are named by the port they reach (PostgreSQL's, Redis'); the relay's own by 'accepted'.
  const peer = this.server ? 'accepted' : String(this.remotePort);
  let bytes = 0;
  if (writev) for (const { chunk } of data) bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  else bytes = typeof data === 'string' ? Buffer.byteLength(data, encoding) : data.length;
  counts.writes[peer] = (counts.writes[peer] ?? 0) + 1;
  counts.writeBytes[peer] = (counts.writeBytes[peer] ?? 0) + bytes;
  return writeGeneric.call(this, writev, data, encoding, cb);
};
const pg = require('pg');
const origQuery = pg.Client.prototype.query;
// Each statement's short form made once per text: made per query, it was ~7.6 KB a message of the owner's garbage.
const shortTexts = new Map();
pg.Client.prototype.query = function (config, ...rest) {
  const raw = typeof config === 'string' ? config : (config?.name ? `[${config.name}] ` : '') + (config?.text ?? '?');
  let text = shortTexts.get(raw);
  if (text === undefined) {
    text = raw.replace(/\s+/g, ' ').slice(0, 90);
    if (shortTexts.size < 10_000) shortTexts.set(raw, text);
  }
  counts.statements[text] = (counts.statements[text] ?? 0) + 1;
  return origQuery.call(this, config, ...rest);
};
const Redis = require('ioredis');
const origSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, ...rest) {
  const name = `${this.options?.connectionName ?? '?'}:${command?.name}`.replace(/:\d+:\d+/, '');
  counts.redis[name] = (counts.redis[name] ?? 0) + 1;
  if (command?.name === 'publish') {
    // By channel, and an inbox message by its kind (its first byte: edge-channels.ts' KINDS).
    const channel = String(command.args?.[0] ?? '');
    const inboxKinds = ['join', 'frame', 'leave', 'send', 'close', 'command', 'command-done', 'moved'];
    const kind = channel.includes('inbox:')
      ? `inbox:${inboxKinds[command.args?.[1]?.[0]] ?? '?'}`
      : (['batches:', 'revocations', 'heads'].find((name) => channel.includes(name)) ?? 'other');
    counts.publishes[kind] = (counts.publishes[kind] ?? 0) + 1;
  }
  return origSend.call(this, command, ...rest);
};
const WS = require('ws');
const origWsSend = WS.prototype.send;
WS.prototype.send = function (data, ...rest) {
  counts.wsSends++;
  counts.wsSendBytes += data?.length ?? 0;
  return origWsSend.call(this, data, ...rest);
};
mkdirSync(process.env.CLUSTER_COSTS_DIR, { recursive: true });
// Written aside and renamed, so a reader never sees half a file.
const countsFile = `${process.env.CLUSTER_COSTS_DIR}/${process.pid}.json`;
setInterval(() => {
  writeFileSync(`${countsFile}.part`, JSON.stringify(counts));
  renameSync(`${countsFile}.part`, countsFile);
}, 1_000).unref();
// SIGUSR2 starts V8's CPU profiler, the next one writes the profile beside the counts (cluster-costs.ts --profile);
// with CLUSTER_COSTS_HEAP=1 it is V8's sampling heap profiler instead, every allocation kept, collected ones too
// (cluster-costs.ts --allocations), written as a .heapprofile.
import { Session } from 'node:inspector';
const heap = process.env.CLUSTER_COSTS_HEAP === '1';
let profiling = null;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = new Session();
    profiling.connect();
    if (heap)
      profiling.post('HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    else profiling.post('Profiler.enable', () => profiling.post('Profiler.start'));
    return;
  }
  const session = profiling;
  profiling = null;
  const file = `${process.env.CLUSTER_COSTS_DIR}/${process.pid}.${heap ? 'heapprofile' : 'cpuprofile'}`;
  session.post(heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop', (error, result) => {
    if (!error) writeFileSync(file, JSON.stringify(result.profile));
    session.disconnect();
  });
});
// Which of this relay's threads is which, as bench/servers/thread-groups.ts sorts a bench relay's (that module is
// TypeScript, and the cluster's relays run from a build): the threads there before the relay starts are V8's and
// Node's helpers (the GC's parallel and concurrent work, background compiles); the libuv pool's are the four whose
// CPU rose most under 16 `pbkdf2` jobs, run here before the relay opens anything; any other is started later.
import { readdirSync, readFileSync } from 'node:fs';
import { pbkdf2 } from 'node:crypto';
const threadTicks = () => {
  const ticks = new Map();
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${process.pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(task, Number(fields[11]) + Number(fields[12]));
    } catch {
      // ended between the listing and the read
    }
  }
  return ticks;
};
const helpers = new Set([...threadTicks().keys()].filter((tid) => tid !== String(process.pid)));
const beforeProbe = threadTicks();
const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
let probed = 0;
for (let i = 0; i < poolSize * 4; i++)
  pbkdf2('probe', 'salt', 20_000, 32, 'sha256', () => {
    if (++probed < poolSize * 4) return;
    const rise = [...threadTicks()].filter(([tid]) => !helpers.has(tid) && tid !== String(process.pid));
    rise.sort((a, b) => b[1] - (beforeProbe.get(b[0]) ?? 0) - (a[1] - (beforeProbe.get(a[0]) ?? 0)));
    const pool = new Set(rise.slice(0, poolSize).map(([tid]) => tid));
    counts.threadGroups = { [process.pid]: 'main' };
    for (const tid of helpers) counts.threadGroups[tid] = 'V8 and Node helpers';
    for (const tid of pool) counts.threadGroups[tid] = 'libuv pool';
  });
