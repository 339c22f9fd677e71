/**
 * Counts the calls our relay makes into LevelDB and the bytes it hands it
 * (issue 14: LevelDB's threads cost more per message than the reference's
 * whole relay, and their work follows calls and bytes). Installed only in the
 * bench's relay (happy-chat-relay.ts): it wraps classic-level's own methods,
 * under every sublevel, so each call is counted once whatever part of the
 * server made it. `compactionWrittenMiB` is LevelDB's own sum of what its
 * flushes and compactions wrote (`leveldb.stats`).
 */
import { ClassicLevel } from 'classic-level';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** classic-level's chained batch, which its types do not export. */
const { ChainedBatch } = require('classic-level/chained-batch.js') as { ChainedBatch: { prototype: object } };
/** classic-level's native binding: each of its async functions is one job handed to the libuv pool and back. */
const binding = require('classic-level/binding.js') as Record<string, (...args: unknown[]) => unknown>;
const POOL_FUNCTIONS = [
  'db_put',
  'db_get',
  'db_get_many',
  'db_has',
  'db_has_many',
  'db_del',
  'db_clear',
  'batch_do',
  'batch_write',
  'iterator_nextv',
];

export interface StoreCounts {
  puts: number;
  dels: number;
  /** Array batches (`db.batch([...])`) and chained batches' writes. */
  batches: number;
  batchOps: number;
  gets: number;
  /** `getMany` calls, and the keys they asked for. */
  getManys: number;
  getManyKeys: number;
  iterators: number;
  /** Jobs handed to the libuv pool (every async call into LevelDB: a write, a read, each step of an iterator). */
  poolJobs: number;
  /** Bytes of keys and values written (puts, batches' operations, deletes' keys). */
  bytesWritten: number;
  compactionWrittenMiB: number;
}

const counts: StoreCounts = {
  puts: 0,
  dels: 0,
  batches: 0,
  batchOps: 0,
  gets: 0,
  getManys: 0,
  getManyKeys: 0,
  iterators: 0,
  poolJobs: 0,
  bytesWritten: 0,
  compactionWrittenMiB: 0,
};
const databases = new Set<ClassicLevel<unknown, unknown>>();
let installed = false;

function size(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof Uint8Array) return data.byteLength;
  return 0;
}

/** Wraps classic-level's methods (each still does what it did) to count. */
export function installStoreCounters(): void {
  if (installed) return;
  installed = true;
  // The private methods every public call and sublevel ends in; `any` because they are not in the types.
  const proto = ClassicLevel.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const wrap = (name: string, count: (self: ClassicLevel<unknown, unknown>, args: unknown[]) => void) => {
    const original = proto[name];
    proto[name] = function (this: ClassicLevel<unknown, unknown>, ...args: unknown[]) {
      databases.add(this);
      count(this, args);
      return original.apply(this, args);
    };
  };
  wrap('_put', (_, [key, value]) => {
    counts.puts++;
    counts.bytesWritten += size(key) + size(value);
  });
  wrap('_del', (_, [key]) => {
    counts.dels++;
    counts.bytesWritten += size(key);
  });
  wrap('_batch', (_, [operations]) => {
    counts.batches++;
    for (const op of operations as Array<{ key: unknown; value?: unknown }>) {
      counts.batchOps++;
      counts.bytesWritten += size(op.key) + size(op.value);
    }
  });
  wrap('_get', () => counts.gets++);
  wrap('_getSync', () => counts.gets++);
  wrap('_getMany', (_, [keys]) => {
    counts.getManys++;
    counts.getManyKeys += (keys as unknown[]).length;
  });
  wrap('_iterator', () => counts.iterators++);
  const chained = ChainedBatch.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['_put', '_del'] as const) {
    const original = chained[name];
    chained[name] = function (this: unknown, ...args: unknown[]) {
      counts.batchOps++;
      counts.bytesWritten += size(args[0]) + size(args[1]);
      return original.apply(this, args);
    };
  }
  // Called through the module object at each call (`binding.db_put(...)`), so wrapping its properties counts every job.
  for (const name of POOL_FUNCTIONS) {
    const original = binding[name];
    binding[name] = (...args: unknown[]) => {
      counts.poolJobs++;
      return original(...args);
    };
  }
  const write = chained._write;
  chained._write = function (this: unknown, ...args: unknown[]) {
    counts.batches++;
    return write.apply(this, args);
  };
}

/** The counts so far, or null where no counters were installed (the reference). */
export function storeCounts(): StoreCounts | null {
  if (!installed) return null;
  let compactionWrittenMiB = 0;
  for (const db of databases) {
    if (db.status !== 'open') continue;
    // "Level Files Size(MB) Time(sec) Read(MB) Write(MB)": the last column, summed over the levels.
    for (const line of db.getProperty('leveldb.stats').split('\n')) {
      const columns = line.trim().split(/\s+/);
      if (columns.length === 6 && /^\d+$/.test(columns[0])) compactionWrittenMiB += Number(columns[5]);
    }
  }
  return { ...counts, compactionWrittenMiB };
}
