/**
 * Which of a relay's threads is which (issue 14: most of the CPU gap to the
 * reference is on threads a V8 profile does not show). Node 20 names every
 * thread "node", so the relay child classifies its own: the main thread; the
 * threads Node started with (V8's platform workers, which run the GC's
 * parallel and concurrent work and background compiles, and Node's own
 * helpers); the libuv pool, found by a probe (classic-level runs every `put`,
 * `batch`, `get` and iterator step there, LevelDB's log write and memtable
 * insert included); and threads started later, which in our relay are
 * LevelDB's background thread (memtable flushes and compactions). The bench
 * reads each thread's CPU from /proc itself and sums it by group.
 */
import { pbkdf2 } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export type ThreadGroup = 'main' | 'libuv pool' | 'V8 and Node helpers' | 'started later (LevelDB)';
export const THREAD_GROUPS: ThreadGroup[] = ['main', 'libuv pool', 'V8 and Node helpers', 'started later (LevelDB)'];

/** CPU ticks (user + system) of each thread of `pid`, by thread id. */
export function threadTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ticks; // the process is gone
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(task), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ticks;
}

/** The threads this process had when this module was evaluated, before any relay opened its store. */
const atStart = new Set(threadTicks(process.pid).keys());
let pool: Promise<Set<number>> | null = null;

/**
 * The libuv pool's threads: the `UV_THREADPOOL_SIZE` threads whose CPU rose
 * most while 4 jobs per thread of ~10 ms each ran on the pool (once per
 * process, before the bench measures anything).
 */
function poolThreads(): Promise<Set<number>> {
  pool ??= (async () => {
    const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const before = threadTicks(process.pid);
    const job = () => new Promise((resolve) => pbkdf2('probe', 'salt', 20_000, 32, 'sha256', resolve));
    await Promise.all(Array.from({ length: size * 4 }, job));
    const after = threadTicks(process.pid);
    const rise = [...after].filter(([tid]) => tid !== process.pid).map(([tid, ticks]) => [tid, ticks - (before.get(tid) ?? 0)]);
    rise.sort((a, b) => b[1] - a[1]);
    return new Set(rise.slice(0, size).map(([tid]) => tid));
  })();
  return pool;
}

/** Each current thread's group, by thread id (as a string, for IPC). */
export async function threadGroups(): Promise<Record<string, ThreadGroup>> {
  const inPool = await poolThreads();
  const groups: Record<string, ThreadGroup> = {};
  for (const tid of threadTicks(process.pid).keys()) {
    groups[tid] =
      tid === process.pid ? 'main' : inPool.has(tid) ? 'libuv pool' : atStart.has(tid) ? 'V8 and Node helpers' : 'started later (LevelDB)';
  }
  return groups;
}

/** CPU ticks of `pid` summed by group; a thread the child did not classify (started since) counts as started later. */
export function ticksByGroup(pid: number, groups: Record<string, ThreadGroup>): Record<ThreadGroup, number> {
  const sums = Object.fromEntries(THREAD_GROUPS.map((group) => [group, 0])) as Record<ThreadGroup, number>;
  for (const [tid, ticks] of threadTicks(pid)) sums[groups[tid] ?? 'started later (LevelDB)'] += ticks;
  return sums;
}
