/**
 * The bench's side channel into a relay child process (IPC, not the relay's
 * sockets): "ready" with the URL once listening, a full GC on request so
 * that RSS is read after garbage is gone, a CPU profile of one step on request
 * (the `history` scenario's relay profiles), and a clean exit. Every relay under test imports it
 * the same way, so the reference and ours are measured alike.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler, writeHeapSnapshot } from 'node:v8';
import { type StoreCounts, storeCounts } from './store-counters.js';
import { type ThreadGroup, threadGroups } from './thread-groups.js';

export type ToChild =
  | { type: 'gc' }
  | { type: 'exit' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'heap-snapshot'; file: string }
  /** `keep`: 'all' keeps every sample (every allocation); 'scavenge-survivors' drops what a scavenge collected (what got promoted). */
  | { type: 'alloc-start'; samplingInterval: number; keep?: 'all' | 'scavenge-survivors' }
  | { type: 'alloc-stop'; file: string }
  | { type: 'gc-trace-start' }
  | { type: 'gc-trace-stop' }
  | { type: 'stats' };
/**
 * `gc-done` carries the V8 heap in use after the GC: steadier than RSS for a few MiB; and the bytes of
 * ArrayBuffers, which live outside that heap (a Uint8Array past 64 bytes: a dormant room's document).
 */
export type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'gc-done'; heapUsed?: number; arrayBuffers?: number }
  | { type: 'profile-done' }
  | { type: 'heap-snapshot-done' }
  /** Garbage collections by kind (minor, major, incremental, weak) between alloc-start and alloc-stop. */
  | { type: 'alloc-done'; gcs?: GcCounts }
  /** Every collection between gc-trace-start and gc-trace-stop, with each heap space's use before and after it. */
  | { type: 'gc-trace-done'; collections?: GcRecord[] }
  /** Each thread's group by thread id, and our relay's store calls so far (null for the reference). */
  | { type: 'stats'; threads: Record<string, ThreadGroup>; store: StoreCounts | null };

/** Tells the bench the relay listens at `url`, and starts answering its requests. */
export function reportReady(url: string): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a bench relay must be started by the bench (no IPC channel)');
  // Started with --expose-gc by the bench; without it "gc" is a no-op and RSS includes garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  let profiler: Session | null = null;
  let allocations: AllocationSampler | null = null;
  let collections: GCProfiler | null = null;
  process.on('message', (message: ToChild) => {
    if (message.type === 'exit') process.exit(0); // a normal exit writes --cpu-prof profiles
    if (message.type === 'profile-start' || message.type === 'profile-stop') {
      profiler ??= startedProfiler();
      profileStep(profiler, message).then(() => send({ type: 'profile-done' } satisfies FromChild));
      return;
    }
    if (message.type === 'alloc-start' || message.type === 'alloc-stop') {
      allocations ??= new AllocationSampler();
      allocations.handle(message).then((gcs) => send({ type: 'alloc-done', gcs } satisfies FromChild));
      return;
    }
    if (message.type === 'gc-trace-start') {
      collections = new GCProfiler();
      collections.start();
      send({ type: 'gc-trace-done' } satisfies FromChild);
      return;
    }
    if (message.type === 'gc-trace-stop') {
      const traced = collections?.stop();
      collections = null;
      send({ type: 'gc-trace-done', collections: traced ? gcRecords(traced) : [] } satisfies FromChild);
      return;
    }
    if (message.type === 'heap-snapshot') {
      // What a room retains, by constructor (room-heap scenario, BENCH_HEAP_SNAPSHOT_DIR); writing it takes seconds.
      writeHeapSnapshot(message.file);
      send({ type: 'heap-snapshot-done' } satisfies FromChild);
      return;
    }
    if (message.type === 'stats') {
      threadGroups().then((threads) => send({ type: 'stats', threads, store: storeCounts() } satisfies FromChild));
      return;
    }
    gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    send({ type: 'gc-done', heapUsed, arrayBuffers } satisfies FromChild);
  });
  // The bench going away must take the relay with it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url } satisfies FromChild);
}

/** An inspector session on this process with the sampling profiler enabled (the bench's profile of one step, not the whole run). */
function startedProfiler(): Session {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  return session;
}

/** Starts the profiler, or stops it and writes the profile to `file` (a `.cpuprofile` for DevTools). */
function profileStep(session: Session, message: Extract<ToChild, { type: 'profile-start' | 'profile-stop' }>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (message.type === 'profile-start') {
      session.post('Profiler.start', (error) => (error ? reject(error) : resolve()));
      return;
    }
    session.post('Profiler.stop', (error, result) => {
      if (error) return reject(error);
      writeFile(message.file, JSON.stringify(result.profile)).then(resolve, reject);
    });
  });
}

export interface GcCounts {
  minor: number;
  major: number;
  incremental: number;
  weak: number;
  /** Time in the GC's pauses on the main thread (ms). */
  pauseMs: number;
}

/**
 * What the relay allocates during one step (bench/prototypes/relay-allocations.ts): V8's sampling heap
 * profiler keeping the samples of objects already collected (so the profile is every allocation, not what
 * survived), and the collections counted by a `gc` performance observer.
 */
class AllocationSampler {
  private readonly session = new Session();
  private gcs: GcCounts = { minor: 0, major: 0, incremental: 0, weak: 0, pauseMs: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      // NODE_PERFORMANCE_GC_MINOR 1, MAJOR 4, INCREMENTAL 8, WEAKCB 16.
      if (kind === 1) this.gcs.minor++;
      else if (kind === 4) this.gcs.major++;
      else if (kind === 8) this.gcs.incremental++;
      else if (kind === 16) this.gcs.weak++;
      this.gcs.pauseMs += entry.duration;
    }
  });

  constructor() {
    this.session.connect();
  }

  async handle(message: Extract<ToChild, { type: 'alloc-start' | 'alloc-stop' }>): Promise<GcCounts | undefined> {
    if (message.type === 'alloc-start') {
      this.gcs = { minor: 0, major: 0, incremental: 0, weak: 0, pauseMs: 0 };
      this.observer.observe({ entryTypes: ['gc'] });
      await this.post('HeapProfiler.enable');
      await this.post('HeapProfiler.startSampling', {
        samplingInterval: message.samplingInterval,
        includeObjectsCollectedByMajorGC: true,
        // A sample whose object a scavenge collects is dropped unless kept: what remains is what survived the young generation.
        includeObjectsCollectedByMinorGC: (message.keep ?? 'all') === 'all',
      });
      return undefined;
    }
    const { profile } = (await this.post('HeapProfiler.stopSampling')) as { profile: unknown };
    this.observer.disconnect();
    await writeFile(message.file, JSON.stringify(profile));
    return this.gcs;
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  }
}

/** One collection as V8's GCProfiler saw it: its kind, its cost (µs, main thread) and each heap space's bytes in use before and after. */
export interface GcRecord {
  /** 'Scavenge', 'MinorMarkCompact', 'MarkSweepCompact', 'IncrementalMarking', 'ProcessWeakCallbacks'. */
  kind: string;
  costUs: number;
  before: Record<string, number>;
  after: Record<string, number>;
  /** The young generation's capacity after the collection (bytes; V8 grows it up to its limit under load). */
  newSpaceSize: number;
}

type GcProfile = ReturnType<GCProfiler['stop']>;

/** The GCProfiler's statistics cut to what the bench reads (the full ones are ~2 KB a collection over IPC). */
function gcRecords(profile: NonNullable<GcProfile>): GcRecord[] {
  const used = (spaces: Array<{ spaceName: string; spaceUsedSize: number }>) =>
    Object.fromEntries(spaces.map((space) => [space.spaceName, space.spaceUsedSize]));
  return profile.statistics.map((statistics) => ({
    kind: statistics.gcType,
    costUs: statistics.cost,
    before: used(statistics.beforeGC.heapSpaceStatistics),
    after: used(statistics.afterGC.heapSpaceStatistics),
    newSpaceSize: statistics.afterGC.heapSpaceStatistics.find((space) => space.spaceName === 'new_space')?.spaceSize ?? 0,
  }));
}
