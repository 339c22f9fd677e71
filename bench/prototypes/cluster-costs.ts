/**
 * What a cluster message costs, as counts that hold on a loaded machine
 * (issue 11, session 13): the cluster bench's load (10 rooms × 10
 * connections, its warm-up, then 5,000 paced messages) on a cluster of
 * `size` relays, and over the measured window only: PostgreSQL commits,
 * rows and WAL per message (`pg_stat_database`), Redis commands by name
 * (`INFO commandstats`), and, from a preload in every relay
 * (`cluster-costs-preload.mjs`), the statements each relay sent by text,
 * its ioredis commands by connection and its PUBLISHes by channel, its
 * WebSocket sends, its socket writes and their bytes by peer (PostgreSQL's
 * port, Redis', 'accepted': the clients'), its garbage collections by kind,
 * and its user and system CPU and its main thread's against its other
 * threads' from /proc (so a system call's or the GC helpers' share is not
 * guessed from a profile of the main thread). With
 * `--profile <dir>` each relay writes a V8 CPU profile of the window
 * (`npx tsx bench/profile-summary.ts <file>`: self-time shares by function;
 * the profiler's own cost makes that run's CPU figures incomparable).
 *
 * With `--allocations <dir>` each relay samples what it allocates over the
 * window instead (V8's sampling heap profiler, collected objects included),
 * and the bytes a message are printed by package, by allocating function and
 * by the nearest function of ours (heap-profile-tables.ts).
 *
 *   npx tsx bench/prototypes/cluster-costs.ts [--size 3] [--profile /tmp/prof | --allocations /tmp/alloc]
 *
 * `CLUSTER_COSTS_DIR` (default /tmp/cluster-costs) is where the relays write
 * their counts: one run at a time per directory.
 */
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClusterTraffic } from '../load/cluster-traffic.js';
import type { TrafficPlan } from '../load/traffic.js';
import { FAN_OUT_PLAN } from '../scenarios/fan-out.js';
import { ClusterDeployment } from '../servers/cluster-deployment.js';
import { threadTicks } from '../servers/thread-groups.js';
import { printTable, sampledBytes } from './heap-profile-tables.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? null : args[at + 1];
};
const size = Number(option('--size') ?? 3);
const allocationsDir = option('--allocations');
const profileDir = option('--profile') ?? allocationsDir;
const profileExtension = allocationsDir ? 'heapprofile' : 'cpuprofile';
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cluster-costs-preload.mjs');
const COUNTS_DIR = process.env.CLUSTER_COSTS_DIR ?? '/tmp/cluster-costs';
const PLAN: TrafficPlan = { ...FAN_OUT_PLAN, settleTimeoutMs: 60_000 };

interface PreloadCounts {
  statements: Record<string, number>;
  redis: Record<string, number>;
  publishes: Record<string, number>;
  wsSends: number;
  wsSendBytes: number;
  writes: Record<string, number>;
  writeBytes: Record<string, number>;
  gcs: Record<string, number>;
  gcMs: Record<string, number>;
  /** Thread id → its group, as the preload sorted them at the relay's start. */
  threadGroups?: Record<string, string>;
}

/** CPU ms of `pid`'s threads by the preload's groups (main, V8 and Node helpers, libuv pool; any other: started later). */
function threadGroupMs(pid: number, groups: Record<string, string> | undefined): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [tid, ticks] of threadTicks(pid)) {
    const group = groups?.[String(tid)] ?? (tid === pid ? 'main' : 'started later');
    sums[group] = (sums[group] ?? 0) + ticks * 10;
  }
  return sums;
}

/** User and system CPU ms of a process (/proc/<pid>/stat, fields 14 and 15, at 100 ticks a second). */
async function userSystemMs(pid: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

async function preloadCounts(pid: number): Promise<PreloadCounts> {
  // The preload writes every second (its own cost: each write is a JSON of every count); wait for one newer than now.
  await new Promise((resolve) => setTimeout(resolve, 1_300));
  return JSON.parse(await readFile(path.join(COUNTS_DIR, `${pid}.json`), 'utf8'));
}

/** `file` once it exists (a starved relay writes its profile seconds after the signal). */
async function written(file: string): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 250) {
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      return file;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${file} was not written`);
}

function minus(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) if (n - (before[key] ?? 0) > 0) out[key] = n - (before[key] ?? 0);
  return out;
}

async function databaseStats(deployment: ClusterDeployment) {
  const { rows } = await deployment.pool.query(
    `SELECT xact_commit::int AS commits, tup_inserted::int AS inserted, tup_updated::int AS updated, tup_deleted::int AS deleted,
            (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint::text AS wal
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return rows[0] as { commits: number; inserted: number; updated: number; deleted: number; wal: string };
}

async function commandStats(deployment: ClusterDeployment): Promise<Record<string, number>> {
  const info = String(
    await (deployment as unknown as { redisClient: { info(s: string): Promise<string> } }).redisClient.info('commandstats'),
  );
  const out: Record<string, number> = {};
  for (const match of info.matchAll(/cmdstat_(\S+?):calls=(\d+)/g)) out[match[1]] = Number(match[2]);
  return out;
}

await rm(COUNTS_DIR, { recursive: true, force: true });
if (profileDir) await mkdir(profileDir, { recursive: true });
const deployment = await ClusterDeployment.start(size, {
  DATABASE_LEASE_MS: '30000',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PRELOAD}`.trim(),
  CLUSTER_COSTS_DIR: COUNTS_DIR,
  CLUSTER_COSTS_HEAP: allocationsDir ? '1' : '0',
});
try {
  await runClusterTraffic(deployment, { ...PLAN, messagesPerWriter: 10 });
  let before:
    | {
        db: Awaited<ReturnType<typeof databaseStats>>;
        redis: Record<string, number>;
        relays: PreloadCounts[];
        cpu: Array<{ user: number; system: number }>;
        threads?: Array<Record<string, number>>;
      }
    | undefined;
  let after: typeof before;
  const result = await runClusterTraffic(deployment, PLAN, async (edge) => {
    const reading = async () => ({
      db: await databaseStats(deployment),
      redis: await commandStats(deployment),
      relays: await Promise.all(deployment.relays.map((relay) => preloadCounts(relay.pid ?? 0))),
      cpu: await Promise.all(deployment.relays.map((relay) => userSystemMs(relay.pid ?? 0))),
    });
    if (edge === 'start') {
      before = await reading();
      before.threads = deployment.relays.map((relay, i) => threadGroupMs(relay.pid ?? 0, before?.relays[i]?.threadGroups));
      if (profileDir) for (const relay of deployment.relays) process.kill(relay.pid ?? 0, 'SIGUSR2');
    } else {
      if (profileDir) for (const relay of deployment.relays) process.kill(relay.pid ?? 0, 'SIGUSR2');
      after = await reading();
      after.threads = deployment.relays.map((relay, i) => threadGroupMs(relay.pid ?? 0, after?.relays[i]?.threadGroups));
      if (profileDir)
        for (const [i, relay] of deployment.relays.entries())
          await copyFile(
            await written(path.join(COUNTS_DIR, `${relay.pid}.${profileExtension}`)),
            path.join(profileDir, `relay-${i + 1}.${profileExtension}`),
          );
    }
  });
  if (!before || !after) throw new Error('the measured window was not reported');
  const messages = result.messages;
  const per = (n: number) => Number((n / messages).toFixed(4));
  const walBytes = Number(BigInt(after.db.wal) - BigInt(before.db.wal));
  const owners = await deployment.pool.query<{ owner: string; n: number }>(
    `SELECT owner, count(*)::int AS n FROM doc WHERE name LIKE 'conv/%' GROUP BY owner`,
  );
  console.log(
    JSON.stringify(
      {
        size,
        messages,
        failures: result.failures,
        p50: result.all.p50,
        cpuPerMessageUs: {
          relays: result.cost.relayCpuMs.map((ms) => Math.round((ms * 1000) / messages)),
          postgres: Math.round((result.cost.backendCpuMs * 1000) / messages),
          redis: Math.round((result.cost.redisCpuMs * 1000) / messages),
        },
        conversationsOwnedBy: deployment.relays.map((relay) =>
          owners.rows.filter((row) => relay.leaseIds.includes(row.owner)).reduce((sum, row) => sum + row.n, 0),
        ),
        perMessage: {
          commits: per(after.db.commits - before.db.commits),
          rowsInserted: per(after.db.inserted - before.db.inserted),
          rowsUpdated: per(after.db.updated - before.db.updated),
          rowsDeleted: per(after.db.deleted - before.db.deleted),
          walBytes: Math.round(walBytes / messages),
          redis: Object.fromEntries(Object.entries(minus(after.redis, before.redis)).map(([k, n]) => [k, per(n)])),
        },
        relays: after.relays.map((counts, i) => {
          const was = before?.relays[i] as PreloadCounts;
          const statements = Object.entries(minus(counts.statements, was.statements))
            .sort((a, b) => b[1] - a[1])
            .map(([text, n]) => `${per(n)}  ${text}`);
          const cpu = (after as NonNullable<typeof before>).cpu[i] as { user: number; system: number };
          const cpuWas = (before as NonNullable<typeof before>).cpu[i] as { user: number; system: number };
          const perPeer = (now: Record<string, number>, then: Record<string, number>) =>
            Object.fromEntries(Object.entries(minus(now, then)).map(([peer, n]) => [peer, per(n)]));
          return {
            // /proc is read ~1.3 s after the preload's counts (each reading waits for a fresh write): same length, shifted.
            userSystemUsPerMessage: [
              Math.round(((cpu.user - cpuWas.user) * 1000) / messages),
              Math.round(((cpu.system - cpuWas.system) * 1000) / messages),
            ],
            // By thread group: the main thread's, V8's and Node's helpers' (GC, compiles), the libuv pool's, later ones'.
            threadUsPerMessage: Object.fromEntries(
              Object.entries((after as NonNullable<typeof before>).threads?.[i] ?? {}).map(([group, ms]) => [
                group,
                Math.round(((ms - ((before as NonNullable<typeof before>).threads?.[i]?.[group] ?? 0)) * 1000) / messages),
              ]),
            ),
            socketWritesPerMessage: perPeer(counts.writes, was.writes),
            socketWriteBytesPerMessage: perPeer(counts.writeBytes, was.writeBytes),
            publishesPerMessage: perPeer(counts.publishes, was.publishes),
            gcsPerMessage: perPeer(counts.gcs, was.gcs),
            gcPauseUsPerMessage: Object.fromEntries(
              Object.entries(minus(counts.gcMs, was.gcMs)).map(([kind, ms]) => [kind, Math.round((ms * 1000) / messages)]),
            ),
            wsSendsPerMessage: per(counts.wsSends - was.wsSends),
            wsSendBytesPerMessage: per(counts.wsSendBytes - was.wsSendBytes),
            redisPerMessage: Object.fromEntries(Object.entries(minus(counts.redis, was.redis)).map(([k, n]) => [k, per(n)])),
            statementsPerMessage: statements,
          };
        }),
      },
      null,
      2,
    ),
  );
  if (allocationsDir)
    for (const i of deployment.relays.keys()) {
      const { total, byPackage, self, nearestOurs } = sampledBytes(path.join(allocationsDir, `relay-${i + 1}.heapprofile`));
      console.log(`\n## relay ${i + 1}: ${Math.round(total / messages)} B allocated a message`);
      printTable('by package', byPackage, total, messages, 12);
      printTable('self (the function that allocated)', self, total, messages, 20);
      printTable('nearest function of ours on the stack', nearestOurs, total, messages, 20);
    }
} finally {
  await deployment.stop();
}
