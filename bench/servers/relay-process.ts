/**
 * Starts a relay under test in its own process and reads its memory and CPU
 * time from /proc, so the load client's never count as the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../sync-server/build-server.js';
import { makeTempDir, removeDir } from '../../sync-server/testing/temp-dir.js';
import type { FromChild, GcCounts, GcRecord, ToChild } from './child-control.js';
import type { StoreCounts } from './store-counters.js';
import { type ThreadGroup, ticksByGroup } from './thread-groups.js';

export type RelayKind = 'happy-chat' | 'happy-chat-writes-off' | 'happy-chat-validator-off' | 'reference';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository: `--import tsx` resolves from the working directory. */
const ROOT = path.join(HERE, '..', '..');
/** Where the bench builds our relay (git-ignored, beside the server's build, so packages resolve from node_modules). */
const BUILD_DIR = path.join(ROOT, 'dist', 'bench-relay');
const ENTRY: Record<RelayKind, string> = {
  'happy-chat': path.join(HERE, 'happy-chat-relay.ts'),
  'happy-chat-writes-off': path.join(HERE, 'happy-chat-relay.ts'),
  'happy-chat-validator-off': path.join(HERE, 'happy-chat-relay.ts'),
  reference: path.join(HERE, 'reference-relay.ts'),
};
/** A bound for a relay that never comes up: at load 20 on the 2 cores a healthy one took over 30 s (issue 14, session 9's compare). */
const START_TIMEOUT_MS = 120_000;
const GC_TIMEOUT_MS = 10_000;
/** A heap snapshot of a relay holding 1,000 rooms is ~100 MiB written synchronously. */
const SNAPSHOT_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 5_000;
/** USER_HZ: 100 on Linux for every architecture we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;
/** `npm run bench -- --profile` sets this: relays write V8 CPU profiles there (open in Chrome DevTools). */
export const PROFILE_DIR_ENV = 'BENCH_CPU_PROFILE_DIR';

/** Environment of our relay in the bench: limits that would stop a load client from signing many people in. */
export function happyChatEnv(kind: RelayKind, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    // Long enough that a room outlives a reconnect, short enough to measure "unloaded" quickly. Shorter than the
    // heads' coalescing (500 ms), so a head round may reload members' user documents: BENCH_UNLOAD_GRACE_MS=10000
    // runs with the product's grace instead, to price that (docs/PERFORMANCE.md, "Issue 14, session 4").
    DOC_UNLOAD_GRACE_MS: process.env.BENCH_UNLOAD_GRACE_MS ?? '300',
    RATE_REGISTER_PER_ADDRESS: '1000000',
    RATE_LOGIN_PER_ADDRESS: '1000000',
    RATE_LOGIN_PER_ACCOUNT: '1000000',
    RATE_FRIEND_REQUESTS_PER_USER: '1000000',
    // Every load client connects from 127.0.0.1, and a room's connections are devices of its two
    // members (big-room: 250 each), who stand for hundreds of people: per-address and per-person
    // socket caps and the per-person send budget would measure the bench, not the relay.
    RELAY_CONNECTIONS_PER_ADDRESS: '1000000',
    RELAY_CONNECTIONS_PER_PERSON: '1000000',
    RELAY_CONNECTIONS_PER_PERSON_PER_DOC: '1000000',
    RELAY_QUEUED_BYTES_PER_PERSON: String(1024 * 1024 * 1024),
    // For the same reason, per-person write quotas and presence bounds are lifted.
    WRITE_QUOTA_BURST_BYTES: String(1024 * 1024 * 1024),
    WRITE_QUOTA_BYTES_PER_HOUR: String(1024 * 1024 * 1024),
    DOC_MAX_BYTES: String(2 ** 31),
    RELAY_PRESENCE_IDS_PER_PERSON: '1000000',
    RELAY_PRESENCE_CHANGES_BURST: '1000000',
    RELAY_PRESENCE_CHANGES_PER_SECOND: '1000000',
    RELAY_USER_AWARENESS_BURST: '1000000',
    RELAY_USER_AWARENESS_PER_SECOND: '1000000',
  };
  delete env.SMTP_URL; // mails go to the outbox, where the bench reads activation links
  // With writes off, compaction (which exists only for the store) is off too.
  if (kind === 'happy-chat-writes-off') Object.assign(env, { BENCH_WRITES: 'off', DOC_COMPACT_THRESHOLD: String(2 ** 31) });
  if (kind === 'happy-chat-validator-off') env.BENCH_VALIDATOR = 'off';
  return env;
}

export class RelayProcess {
  private stderr = '';
  private exited = false;

  private constructor(
    readonly kind: RelayKind,
    private child: ChildProcess,
    private currentUrl: string,
    /** Our relay's DATA_DIR (outbox mails are read from it); null for the reference. */
    readonly dataDir: string | null,
    private readonly env: Record<string, string>,
  ) {
    this.watch(child);
  }

  /** `env` adds to the relay's environment (e.g. CLIENT_DIR for the browser scenario). */
  static async start(kind: RelayKind, env: Record<string, string> = {}): Promise<RelayProcess> {
    const dataDir = kind === 'reference' ? null : await makeTempDir('happy-chat-bench-');
    const { child, url } = await spawnRelay(kind, dataDir, env);
    return new RelayProcess(kind, child, url, dataDir, env);
  }

  /** Where the relay listens now (a restart picks a new port). */
  get url(): string {
    return this.currentUrl;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('relay process has no pid');
    return this.child.pid;
  }

  /** What the relay printed on stderr lately (warnings, refusals), for failure reports. */
  get recentStderr(): string {
    return this.stderr;
  }

  /**
   * A fresh process on the same DATA_DIR: people, sessions and conversations
   * made through the API stay, while the memory the setup used is gone.
   */
  async restart(): Promise<void> {
    await this.kill();
    const { child, url } = await spawnRelay(this.kind, this.dataDir, this.env);
    this.child = child;
    this.currentUrl = url;
    this.exited = false;
    this.watch(child);
  }

  /** Records the relay's CPU profile around `step` into `file` (a `.cpuprofile`); only runs the step when `file` is null. */
  async profile<T>(file: string | null, step: () => Promise<T>): Promise<T> {
    if (!file) return step();
    await this.request({ type: 'profile-start' }, 'profile-done');
    try {
      return await step();
    } finally {
      await this.request({ type: 'profile-stop', file }, 'profile-done');
    }
  }

  /**
   * Starts sampling what the relay allocates (V8's sampling heap profiler, one sample every `samplingInterval`
   * bytes on average, collected objects included) and counting its garbage collections.
   */
  async startAllocations(samplingInterval: number, keep: 'all' | 'scavenge-survivors' = 'all'): Promise<void> {
    await this.request({ type: 'alloc-start', samplingInterval, keep }, 'alloc-done');
  }

  /** Stops the sampling: the profile goes to `file` (a `.heapprofile` for DevTools); the collections counted are returned. */
  async stopAllocations(file: string): Promise<GcCounts> {
    const reply = await this.request({ type: 'alloc-stop', file }, 'alloc-done', SNAPSHOT_TIMEOUT_MS);
    if (reply.type !== 'alloc-done' || !reply.gcs) throw new Error(`${this.kind} relay did not report its collections`);
    return reply.gcs;
  }

  /** Starts recording every garbage collection the relay makes (V8's GCProfiler: kind, cost, heap spaces before and after). */
  async startGcTrace(): Promise<void> {
    await this.request({ type: 'gc-trace-start' }, 'gc-trace-done');
  }

  /** Stops recording and returns the collections made since `startGcTrace`. */
  async stopGcTrace(): Promise<GcRecord[]> {
    const reply = await this.request({ type: 'gc-trace-stop' }, 'gc-trace-done');
    if (reply.type !== 'gc-trace-done' || !reply.collections) throw new Error(`${this.kind} relay did not report its collections`);
    return reply.collections;
  }

  /** Asks the relay for a full GC, then reads its resident set size (VmRSS) in bytes. */
  async rssAfterGc(): Promise<number> {
    await this.request({ type: 'gc' }, 'gc-done');
    return this.rss();
  }

  /** Asks the relay for a full GC, then reports its V8 heap in use (bytes), as the relay measured it. */
  async heapAfterGc(): Promise<number> {
    const reply = await this.request({ type: 'gc' }, 'gc-done');
    if (reply.type !== 'gc-done' || reply.heapUsed === undefined) throw new Error(`${this.kind} relay did not report its heap`);
    return reply.heapUsed;
  }

  /** Asks the relay for a full GC, then reports its V8 heap in use and its ArrayBuffers' bytes (outside that heap). */
  async memoryAfterGc(): Promise<{ heapUsed: number; arrayBuffers: number }> {
    const reply = await this.request({ type: 'gc' }, 'gc-done');
    if (reply.type !== 'gc-done' || reply.heapUsed === undefined || reply.arrayBuffers === undefined)
      throw new Error(`${this.kind} relay did not report its memory`);
    return { heapUsed: reply.heapUsed, arrayBuffers: reply.arrayBuffers };
  }

  /** Writes a V8 heap snapshot of the relay to `file` (a `.heapsnapshot` for DevTools). */
  async heapSnapshot(file: string): Promise<void> {
    await this.request({ type: 'heap-snapshot', file }, 'heap-snapshot-done', SNAPSHOT_TIMEOUT_MS);
  }

  /**
   * The relay's CPU so far by group of threads (ms; thread-groups.ts), and our
   * relay's LevelDB calls so far (null for the reference).
   */
  async stats(): Promise<{ threadCpuMs: Record<ThreadGroup, number>; store: StoreCounts | null }> {
    const reply = await this.request({ type: 'stats' }, 'stats');
    if (reply.type !== 'stats') throw new Error(`${this.kind} relay did not report its threads`);
    const ticks = ticksByGroup(this.pid, reply.threads);
    const threadCpuMs = Object.fromEntries(
      Object.entries(ticks).map(([group, n]) => [group, (n * 1000) / CLOCK_TICKS_PER_SECOND]),
    ) as Record<ThreadGroup, number>;
    return { threadCpuMs, store: reply.store };
  }

  /** Resident set size in bytes, from /proc/<pid>/status. */
  async rss(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!match) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    return Number(match[1]) * 1024;
  }

  /**
   * CPU time the relay process has used so far (user + system, ms), from
   * /proc/<pid>/stat. Unlike latency it hardly moves when other work shares
   * the machine, so it is the steadier figure for comparing relays.
   */
  async cpuMs(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  /** Ends the relay (a clean exit, so a CPU profile gets written) and deletes its data. */
  async stop(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.send({ type: 'exit' } satisfies ToChild);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (this.dataDir) await removeDir(this.dataDir);
  }

  private async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    // LevelDB's log is in the OS page cache by now; a kill loses nothing the bench needs.
    this.child.kill('SIGKILL');
    await exited;
  }

  private watch(child: ChildProcess): void {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-8000)));
    child.once('exit', () => {
      if (child === this.child) this.exited = true;
    });
  }

  private request(message: ToChild, answer: FromChild['type'], timeoutMs = GC_TIMEOUT_MS): Promise<FromChild> {
    const child = this.child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${this.kind} relay did not answer "${message.type}"`));
      }, timeoutMs);
      const onMessage = (reply: FromChild) => {
        if (reply.type !== answer) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  }
}

let builtRelay: Promise<string> | null = null;

/**
 * Our relay runs from a build, as `npm start` runs the server (build-server.ts: no tsx, no esbuild `keepNames`),
 * built once per bench run; `BENCH_RELAY_FROM=tsx` runs it through tsx instead, for an A/B of the two
 * (docs/PERFORMANCE.md, "Issue 14, session 10"). The reference's starter runs through tsx as before: its
 * relay is the package's own JavaScript.
 */
async function entryArgs(kind: RelayKind): Promise<string[]> {
  if (kind === 'reference' || process.env.BENCH_RELAY_FROM === 'tsx') return ['--import', 'tsx', ENTRY[kind]];
  builtRelay ??= buildServer(BUILD_DIR, path.relative(ROOT, ENTRY[kind]));
  return [await builtRelay];
}

async function spawnRelay(
  kind: RelayKind,
  dataDir: string | null,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const profileDir = process.env[PROFILE_DIR_ENV];
  // One folder per relay; node names each file by time, pid and thread (tsx's loader thread writes one too).
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, kind)}`] : [];
  // Node or V8 flags for our relay only (an A/B of runtime options, e.g. the GC's threads); the reference runs as it ships.
  const flags = kind === 'reference' ? [] : (process.env.BENCH_RELAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--expose-gc', ...flags, ...profile, ...(await entryArgs(kind))], {
    env: { ...(dataDir ? happyChatEnv(kind, dataDir) : process.env), ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    cwd: ROOT,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} relay did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} relay exited with ${code}: ${stderr}`));
    });
    child.on('message', (message: FromChild) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message.url);
    });
  });
  return { child, url };
}
