/**
 * The cluster (issue 11, docs/SCALING.md): the paced fan-in/out load (10
 * rooms × 10 connections, as fan-out.ts) on the embedded relay (LevelDB), a
 * cluster of one relay and a cluster of three (PostgreSQL + Redis), in one
 * run. Latency split by path (same-process vs cross-process), cluster CPU per
 * message (relays + redis-server + the PostgreSQL backends, from /proc), each
 * relay's share, PostgreSQL commits and WAL bytes per message, Redis commands
 * per message; then, on the cluster of three, the failover time (owner
 * SIGKILLed → the next delivery; the median of several kills, with where the
 * time went) and the revocation time (sign-out on one relay → the sockets on
 * the two others closed). The targets beside.
 * One run each (the fan-out scenario runs three): the point is the order of
 * the cluster's costs against embedded on the same machine at the same time.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { userDocName } from '../../shared/doc-names.js';
import { messagesOf } from '../../shared/schema.js';
import { api } from '../../sync-server/testing/api-call.js';
import { openDoc } from '../../sync-server/testing/synced-client.js';
import { createUser } from '../../sync-server/testing/test-users.js';
import { type ClusterTrafficResult, clusterRooms, runClusterTraffic } from '../load/cluster-traffic.js';
import { sendMessage } from '../load/messages.js';
import { roomSourceFor } from '../load/rooms.js';
import { runTraffic, type TrafficPlan, type TrafficResult } from '../load/traffic.js';
import { withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { ClusterDeployment } from '../servers/cluster-deployment.js';
import { RelayProcess } from '../servers/relay-process.js';
import { FAN_OUT_PLAN } from './fan-out.js';

const PLAN: TrafficPlan = { ...FAN_OUT_PLAN, settleTimeoutMs: 60_000 };
/**
 * The load runs on clusters with a long lease: on a machine this busy a relay
 * under the full load runs its timers seconds late and lost the default 5 s
 * lease mid-run (its rooms dropped, 1013, and the bench's clients do not
 * reconnect). Failover and revocation are measured on a cluster of their own
 * with the default lease.
 */
const LOAD_LEASE_MS = '30000';
const WARM_UP: TrafficPlan = { ...PLAN, messagesPerWriter: 10 };
const SCENARIO = `cluster: fan-in/out ${PLAN.rooms}×${PLAN.clientsPerRoom}, ${PLAN.messagesPerWriter} msgs each every ${PLAN.intervalMs} ms`;

export async function clusterScenario(): Promise<ScenarioResult> {
  const failures: string[] = [];
  const embedded = await measureEmbedded(failures);
  const one = await withCluster(1, failures);
  const loaded = await withCluster(3, failures);
  const idle = await ClusterDeployment.start(3);
  let times: { revocationMs: number; failover: FailoverSample[] };
  try {
    times = { revocationMs: await revocationTime(idle), failover: await failoverTimes(idle, FAILOVER_KILLS) };
  } finally {
    await idle.stop();
  }
  const three = { ...loaded, ...times };
  return { name: 'cluster', rows: rows(embedded, one, three), raw: { plan: PLAN, embedded, one, three }, failures };
}

async function measureEmbedded(failures: string[]): Promise<TrafficResult> {
  const relay = await RelayProcess.start('happy-chat');
  try {
    const source = roomSourceFor(relay);
    const warmUp = await runTraffic(source, WARM_UP);
    failures.push(...warmUp.failures.map((f) => `embedded warm-up: ${f}`));
    const run = await runTraffic(source, PLAN);
    failures.push(...run.failures.map((f) => `embedded: ${f}`));
    return run;
  } finally {
    await relay.stop();
  }
}

async function withCluster(size: number, failures: string[]): Promise<{ run: ClusterTrafficResult }> {
  const deployment = await ClusterDeployment.start(size, { DATABASE_LEASE_MS: LOAD_LEASE_MS });
  try {
    const warmUp = await runClusterTraffic(deployment, WARM_UP);
    failures.push(...warmUp.failures.map((f) => `cluster of ${size} warm-up: ${f}`));
    const run = await runClusterTraffic(deployment, PLAN);
    failures.push(...run.failures.map((f) => `cluster of ${size}: ${f}`));
    return { run };
  } finally {
    await deployment.stop();
  }
}

/** Sign-out through relay 1 → the session's sockets on relays 2 and 3 closed (ms, the later of the two). */
async function revocationTime(deployment: ClusterDeployment): Promise<number> {
  const [one, two, three] = deployment.relays;
  const person = await createUser(one, 'Revoked');
  const sockets = [two, three].map(
    (relay) => new WebSocket(`${relay.url.replace(/^http/, 'ws')}/sync/${userDocName(person.id)}`, { headers: { cookie: person.cookie } }),
  );
  await withTimeout(Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('message', resolve)))), 20_000, 'binding');
  const started = performance.now();
  const closed = Promise.all(
    sockets.map((socket) => new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())))),
  );
  await api(one, 'POST', '/api/auth/logout', { cookie: person.cookie });
  const closedAt = await withTimeout(closed, 10_000, 'the sockets cut off');
  return Math.max(...closedAt) - started;
}

/** Owners killed for the failover figure: one sample swings by the lease's phase at the kill (up to a fifth of it). */
const FAILOVER_KILLS = 5;

/** One kill, in ms after it: the total and where it went. */
export interface FailoverSample {
  /** The owner SIGKILLed → the next message reaches a reader on another relay. */
  totalMs: number;
  /** The dead owner's lease still to run at the kill (PostgreSQL's clock): nobody may claim before. */
  leaseLeftMs: number;
  /** → the writer's edge closes it with 1013 for the last time before the delivery (the edge saw the lease run out). */
  closedMs: number;
  /** → the writer synced again (its relay claimed the document, or follows the relay that did). */
  resyncedMs: number;
}

/** `kills` times: a fresh room, its owner SIGKILLed, measured, the relay started again. */
export async function failoverTimes(deployment: ClusterDeployment, kills: number): Promise<FailoverSample[]> {
  const samples: FailoverSample[] = [];
  for (let i = 0; i < kills; i++) {
    const { sample, killed } = await failoverTime(deployment);
    samples.push(sample);
    await killed.start();
  }
  return samples;
}

/**
 * Owner SIGKILLed → the next message from a writer on another relay reaches a
 * reader on the third (ms). Stock y-websocket clients: after a synced
 * connection closes they come back after 200 ms (the app's mux client: 0–100
 * ms, client/data/sync/mux-document.ts), then at most 300 ms apart here;
 * `DATABASE_LEASE_MS` is the default.
 */
async function failoverTime(
  deployment: ClusterDeployment,
): Promise<{ sample: FailoverSample; killed: ClusterDeployment['relays'][number] }> {
  const [room] = await clusterRooms(deployment, 1);
  const [first] = deployment.relays;
  const opener = openDoc(first, room.members[0], room.docName, new Y.Doc(), { maxBackoffTime: 300 });
  const clients = [opener];
  try {
    await whenSynced(opener.provider);
    const owner = (await deployment.ownerOf(room.docName)) ?? first;
    const [writerRelay, readerRelay] = deployment.relays.filter((relay) => relay !== owner);
    const writer = openDoc(writerRelay, room.members[1], room.docName, new Y.Doc(), { maxBackoffTime: 300 });
    const reader = openDoc(readerRelay, room.members[0], room.docName, new Y.Doc(), { maxBackoffTime: 300 });
    clients.push(writer, reader);
    await Promise.all([whenSynced(writer.provider), whenSynced(reader.provider)]);
    const killedAt = performance.now();
    await owner.kill();
    const leaseLeftMs = await leaseLeft(deployment, owner.leaseIds.at(-1));
    // Every close and every sync of the writer: the breakdown takes the last close before the delivery (an edge may
    // close it earlier, e.g. its forward found nobody listening, and it may sync again as an edge of the dead owner).
    const closes: number[] = [];
    const syncs: number[] = [];
    writer.provider.on('connection-close', () => closes.push(performance.now()));
    writer.provider.on('sync', (synced: boolean) => synced && syncs.push(performance.now()));
    const id = sendMessage(writer.doc, room.members[1].id, 1);
    const arrived = new Promise<number>((resolve) => {
      const check = () => {
        if (!messagesOf(reader.doc).has(id)) return;
        reader.doc.off('update', check);
        resolve(performance.now());
      };
      reader.doc.on('update', check);
    });
    const arrivedAt = await withTimeout(arrived, 60_000, 'the first delivery after the kill');
    const closedAt = Math.max(killedAt, ...closes.filter((at) => at <= arrivedAt));
    const resyncedAt = syncs.find((at) => at > closedAt) ?? Number.NaN;
    const sample = {
      totalMs: arrivedAt - killedAt,
      leaseLeftMs,
      closedMs: closedAt - killedAt,
      resyncedMs: resyncedAt - killedAt,
    };
    return { sample, killed: owner };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/** How long the lease of `leaseId` still runs, on PostgreSQL's clock (ms; NaN when unknown). */
async function leaseLeft(deployment: ClusterDeployment, leaseId: string | undefined): Promise<number> {
  if (!leaseId) return Number.NaN;
  const { rows } = await deployment.pool.query<{ left: number }>(
    'SELECT (extract(epoch FROM lease_until - now()) * 1000)::float8 AS left FROM relay_process WHERE id = $1',
    [leaseId],
  );
  return rows[0]?.left ?? Number.NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The failover row: the median kill, the spread and the median breakdown. */
function failoverRow(samples: FailoverSample[]): Row {
  const of = (key: keyof FailoverSample) => median(samples.map((sample) => sample[key]));
  const totals = samples.map((sample) => sample.totalMs);
  const ms = (value: number) => `${Math.round(value)}`;
  return {
    scenario: 'cluster of 3: failover',
    metric: `owner SIGKILLed → next delivery, median of ${samples.length} kills`,
    unit: 'ms',
    ours: of('totalMs'),
    reference: 'one process',
    target: { kind: 'at-most', value: 6000 },
    note:
      `min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}; medians after the kill: lease left ${ms(of('leaseLeftMs'))}, ` +
      `last 1013 to the writer ${ms(of('closedMs'))}, writer synced again ${ms(of('resyncedMs'))}; ` +
      'an idle cluster of its own, default DATABASE_LEASE_MS, y-websocket clients back 200 ms after a close',
  };
}

function whenSynced(provider: { synced: boolean; once(event: 'sync', listener: () => void): void }): Promise<void> {
  return provider.synced ? Promise.resolve() : withTimeout(new Promise<void>((resolve) => provider.once('sync', resolve)), 20_000, 'sync');
}

function rows(
  embedded: TrafficResult,
  one: { run: ClusterTrafficResult },
  three: { run: ClusterTrafficResult; failover: FailoverSample[]; revocationMs: number },
): Row[] {
  const perMessage = (run: ClusterTrafficResult) => {
    const { cost, messages } = run;
    const relays = cost.relayCpuMs.reduce((a, b) => a + b, 0);
    return {
      cpuUs: ((relays + cost.redisCpuMs + cost.backendCpuMs) * 1000) / messages,
      relayUs: (relays * 1000) / messages,
      redisUs: (cost.redisCpuMs * 1000) / messages,
      postgresUs: (cost.backendCpuMs * 1000) / messages,
      shares: cost.relayCpuMs.map((ms) => Math.round((ms / Math.max(relays, 1)) * 100)),
      commitsPer1000: (cost.commits * 1000) / messages,
      walBytes: cost.walBytes / messages,
      redisCommandsPer1000: (cost.redisCommands * 1000) / messages,
    };
  };
  const [c1, c3] = [perMessage(one.run), perMessage(three.run)];
  const base = embedded.latency;
  const cross = three.run.crossPath;
  const sameNote = 'writer and reader on the owner';
  return [
    {
      scenario: SCENARIO,
      metric: 'embedded latency p50 / p95 / p99',
      unit: 'ms',
      ours: base.p50,
      reference: `p95 ${base.p95.toFixed(2)}, p99 ${base.p99.toFixed(2)} ms`,
    },
    { scenario: SCENARIO, metric: 'cluster of 1: latency p50', unit: 'ms', ours: one.run.all.p50, reference: base.p50 },
    { scenario: SCENARIO, metric: 'cluster of 1: latency p95', unit: 'ms', ours: one.run.all.p95, reference: base.p95 },
    { scenario: SCENARIO, metric: 'cluster of 1: latency p99', unit: 'ms', ours: one.run.all.p99, reference: base.p99 },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: same-process p50',
      unit: 'ms',
      ours: three.run.samePath.p50,
      reference: base.p50,
      note: sameNote,
    },
    { scenario: SCENARIO, metric: 'cluster of 3: same-process p95', unit: 'ms', ours: three.run.samePath.p95, reference: base.p95 },
    { scenario: SCENARIO, metric: 'cluster of 3: same-process p99', unit: 'ms', ours: three.run.samePath.p99, reference: base.p99 },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: cross-process p50',
      unit: 'ms',
      ours: cross.p50,
      reference: base.p50,
      target: { kind: 'at-most', value: 2 },
      note: `${cross.count} of ${three.run.deliveries} deliveries`,
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: cross-process p95',
      unit: 'ms',
      ours: cross.p95,
      reference: base.p95,
      target: { kind: 'at-most-ratio', ratio: 2.5 },
      note: 'reference = embedded',
    },
    { scenario: SCENARIO, metric: 'cluster of 3: cross-process p99', unit: 'ms', ours: cross.p99, reference: base.p99 },
    {
      scenario: SCENARIO,
      metric: 'cluster of 1: CPU per message',
      unit: 'µs',
      ours: c1.cpuUs,
      reference: embedded.relayCpuPerMessageUs,
      note: `relay ${c1.relayUs.toFixed(0)}, redis ${c1.redisUs.toFixed(0)}, postgres ${c1.postgresUs.toFixed(0)}`,
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: CPU per message',
      unit: 'µs',
      ours: c3.cpuUs,
      reference: embedded.relayCpuPerMessageUs,
      target: { kind: 'at-most-ratio', ratio: 2 },
      note: `relays ${c3.relayUs.toFixed(0)}, redis ${c3.redisUs.toFixed(0)}, postgres ${c3.postgresUs.toFixed(0)}; relay shares ${c3.shares.join('/')} %`,
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 1: PostgreSQL commits per 1,000 messages',
      unit: 'count',
      ours: c1.commitsPer1000,
      reference: 'LevelDB',
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: PostgreSQL commits per 1,000 messages',
      unit: 'count',
      ours: c3.commitsPer1000,
      reference: 'LevelDB',
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: WAL bytes per message',
      unit: 'bytes',
      ours: c3.walBytes,
      reference: 'LevelDB',
      note: "the whole server's WAL: other databases' writes count too",
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 1: Redis commands per 1,000 messages',
      unit: 'count',
      ours: c1.redisCommandsPer1000,
      reference: 'no Redis',
    },
    {
      scenario: SCENARIO,
      metric: 'cluster of 3: Redis commands per 1,000 messages',
      unit: 'count',
      ours: c3.redisCommandsPer1000,
      reference: 'no Redis',
    },
    failoverRow(three.failover),
    {
      scenario: 'cluster of 3: revocation',
      metric: 'sign-out on relay 1 → sockets on 2 and 3 closed',
      unit: 'ms',
      ours: three.revocationMs,
      reference: 'one process',
      target: { kind: 'at-most', value: 1000 },
    },
  ];
}
