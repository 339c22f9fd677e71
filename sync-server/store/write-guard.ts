/**
 * Puts the store's health between every writer and LevelDB: while the
 * store is unavailable a write is refused before it reaches the disk, and a
 * write that fails is reported, whoever made it (documents, sessions,
 * accounts). Sublevels write through their root's `put`, `del` and
 * `batch`, so wrapping those three on the root instance (plus `write` of
 * its chained batches) covers every write of the process.
 */
import type { Level } from 'level';
import { StoreUnavailableError, type StoreHealth } from './store-health.js';

/** The root's write methods as seen here; their generic signatures do not matter to a pass-through. */
interface WriteMethods {
  put(...args: unknown[]): Promise<void>;
  del(...args: unknown[]): Promise<void>;
  batch(...args: unknown[]): Promise<void> | ChainedWrite;
}

interface ChainedWrite {
  write(...args: unknown[]): Promise<void>;
}

/** Wraps the root's write methods so they consult and inform `health`. */
export function guardWrites(root: Level<string, unknown>, health: StoreHealth): void {
  // The cast only renames the methods' overloads to one pass-through signature.
  const target = root as unknown as WriteMethods;
  const guarded = async (write: () => Promise<void>): Promise<void> => {
    if (!health.acceptsWrites) throw new StoreUnavailableError();
    try {
      await write();
    } catch (error) {
      health.reportWriteFailure(error);
      throw error;
    }
  };
  const put = target.put.bind(root);
  const del = target.del.bind(root);
  const batch = target.batch.bind(root);
  target.put = (...args) => guarded(() => put(...args));
  target.del = (...args) => guarded(() => del(...args));
  target.batch = (...args) => {
    if (args.length > 0) return guarded(() => batch(...args) as Promise<void>);
    const chained = batch() as ChainedWrite;
    const write = chained.write.bind(chained);
    chained.write = (...writeArgs) => guarded(() => write(...writeArgs));
    return chained;
  };
}
