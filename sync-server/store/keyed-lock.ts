/**
 * Runs async tasks one at a time per key, in this process. LevelDB has no
 * transactions, so "read, check, then write" (use a single-use token, count
 * an invite's uses, admit to a group) would let parallel requests all pass
 * the check; holding the key's lock across the check and the write makes it
 * atomic. Only within one process: when the store moves to PostgreSQL or
 * Redis for a cluster, these become transactions or conditional writes there.
 */
export class KeyedLock {
  /** The tail of each key's queue; removed when the last task of the key ends, so memory follows live keys only. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of `key` has settled; resolves or rejects with its result. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or waiting (for tests: the map must empty out). */
  get size(): number {
    return this.tails.size;
  }
}
