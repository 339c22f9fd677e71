/**
 * A relay cluster for the bench (docs/SCALING.md): N real relay processes
 * (`sync-server/main.ts`) on a database of their own in the local PostgreSQL
 * and a Redis of their own (`redis-server` on a free port), so that the
 * figures read from them (commits, Redis commands, the CPU of Redis and of
 * the PostgreSQL backends) are this cluster's alone. Only the WAL position is
 * the whole PostgreSQL server's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../../sync-server/testing/child-server.js';
import { RelayProcess } from '../../sync-server/testing/relay-process.js';
import { makeTempDir, removeDir } from '../../sync-server/testing/temp-dir.js';
import { happyChatEnv } from './relay-process.js';

/** The bench's PostgreSQL server (a database is made in it per cluster); the tests' default. */
const POSTGRES_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** USER_HZ: 100 on Linux (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time a process has used so far (ms), from /proc/<pid>/stat; 0 once it is gone. */
export async function cpuMsOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** What the cluster's parts have done so far; two of them apart give a run's cost. */
export interface ClusterCounters {
  /** CPU ms of each relay process. */
  relayCpuMs: number[];
  redisCpuMs: number;
  /** CPU ms of each PostgreSQL backend serving this cluster's database, by pid. */
  backendCpuMs: Map<number, number>;
  commits: number;
  walBytes: bigint;
  redisCommands: number;
}

export class ClusterDeployment {
  private constructor(
    readonly relays: RelayProcess[],
    private readonly redis: ChildProcess,
    private readonly redisClient: Redis,
    private readonly admin: pg.Pool,
    private readonly database: string,
    private readonly dirs: string[],
    /** A pool on the cluster's own database and schema. */
    readonly pool: pg.Pool,
  ) {}

  /** Starts Redis, makes the database, starts `size` relays at once (each with `env` added) and waits for all. */
  static async start(size: number, env: NodeJS.ProcessEnv = {}): Promise<ClusterDeployment> {
    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 20_000);
      redis.stdout?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (!output.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    const redisClient = new Redis({ port: redisPort, host: '127.0.0.1' });
    const database = `bench_cluster_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    await admin.query(`CREATE DATABASE ${database}`);
    const databaseUrl = new URL(POSTGRES_URL);
    databaseUrl.pathname = `/${database}`;
    const dirs: string[] = [];
    const relays: RelayProcess[] = [];
    for (let i = 0; i < size; i++) {
      const dataDir = await makeTempDir('happy-chat-bench-cluster-');
      dirs.push(dataDir);
      const relayEnv: NodeJS.ProcessEnv = {
        ...happyChatEnv('happy-chat', dataDir),
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        REDIS_PREFIX: 'bench:',
        ...env,
      };
      relays.push(new RelayProcess(`relay ${i + 1}`, await freePort(), await freePort(), dataDir, relayEnv));
    }
    await Promise.all(relays.map((relay) => relay.start(120_000)));
    const pool = new pg.Pool({ connectionString: databaseUrl.toString(), max: 2 });
    return new ClusterDeployment(relays, redis, redisClient, admin, database, dirs, pool);
  }

  /** The relay whose lease `doc.owner` names for `docName`, if it is one of these. */
  async ownerOf(docName: string): Promise<RelayProcess | undefined> {
    const { rows } = await this.pool.query<{ owner: string | null }>('SELECT owner FROM doc WHERE name = $1', [docName]);
    const owner = rows[0]?.owner;
    return owner ? this.relays.find((relay) => relay.leaseIds.includes(owner)) : undefined;
  }

  async counters(): Promise<ClusterCounters> {
    const relayCpuMs = await Promise.all(this.relays.map((relay) => (relay.pid ? cpuMsOf(relay.pid) : 0)));
    const redisCpuMs = this.redis.pid ? await cpuMsOf(this.redis.pid) : 0;
    const backends = await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    const backendCpuMs = new Map<number, number>();
    for (const { pid } of backends.rows) backendCpuMs.set(pid, await cpuMsOf(pid));
    const stats = await this.admin.query<{ commits: string; wal: string }>(
      `SELECT xact_commit::text AS commits, pg_current_wal_lsn() - '0/0'::pg_lsn AS wal FROM pg_stat_database WHERE datname = $1`,
      [this.database],
    );
    const commandStats = String(await this.redisClient.info('commandstats'));
    let redisCommands = 0;
    for (const match of commandStats.matchAll(/calls=(\d+)/g)) redisCommands += Number(match[1]);
    return {
      relayCpuMs,
      redisCpuMs,
      backendCpuMs,
      commits: Number(stats.rows[0]?.commits ?? 0),
      walBytes: BigInt(String(stats.rows[0]?.wal ?? '0').split('.')[0]),
      redisCommands,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.kill()));
    await this.pool.end();
    this.redisClient.disconnect();
    this.redis.kill('SIGKILL');
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    await this.admin.end();
    await Promise.all(this.dirs.map(removeDir));
  }
}

/** What the cluster cost between two readings: CPU by part, commits, WAL, Redis commands. */
export function costBetween(before: ClusterCounters, after: ClusterCounters) {
  const relayCpuMs = after.relayCpuMs.map((ms, i) => ms - (before.relayCpuMs[i] ?? 0));
  let backendCpuMs = 0;
  // A backend that appeared meanwhile counts whole; one that went away is missed (the pool keeps its connections).
  for (const [pid, ms] of after.backendCpuMs) backendCpuMs += ms - (before.backendCpuMs.get(pid) ?? 0);
  return {
    relayCpuMs,
    redisCpuMs: after.redisCpuMs - before.redisCpuMs,
    backendCpuMs,
    commits: after.commits - before.commits,
    walBytes: Number(after.walBytes - before.walBytes),
    redisCommands: after.redisCommands - before.redisCommands,
  };
}
