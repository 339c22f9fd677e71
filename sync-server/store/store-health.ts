/**
 * Whether the store takes writes, and getting it back when it does not.
 *
 * After an I/O error on a write (a full disk, a failing device) LevelDB is
 * not trusted with more writes until it has been closed and reopened:
 * classic-level keeps a failed background flush as a sticky error, and a
 * log append that failed halfway leaves a torn record, after which later
 * records of the same 32 KB log block would be dropped at the next open. A
 * reopen replays the log up to the torn record and starts a new log. So:
 * writes are refused (`StoreUnavailableError`) from the first I/O error on,
 * and the store is reopened with backoff once the filesystem has
 * `minFreeBytes` free again (reopening on a full disk would fail halfway and
 * leave even reads closed). Reads keep working throughout, except during
 * the reopen itself.
 */
import { statfs } from 'node:fs/promises';
import type { Logger } from '../config.js';

/** Thrown for a write while the store is unavailable; answered as 503 / close code 4507. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor() {
    super('the store is unavailable (out of space or a storage error); writes are refused until it recovers');
  }
}

/**
 * Error codes that mean the disk failed us, not that our call was wrong:
 * classic-level's, and the file system's (picture files are written beside
 * the store, on the same disk).
 */
const STORAGE_ERROR_CODES = new Set(['LEVEL_IO_ERROR', 'LEVEL_CORRUPTION', 'ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

/** True when `error` is a storage failure (as opposed to a bad key or a closed database). */
export function isStorageFailure(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_ERROR_CODES.has(code);
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
/** While still failing, a reminder is logged every this many attempts (about a minute at the longest delay). */
const LOG_EVERY_ATTEMPTS = 12;

export interface StoreHealthOptions {
  /** The store's folder, whose filesystem's free space is checked before reopening. */
  location: string;
  /** Free bytes needed on that filesystem before a reopen is tried. */
  minFreeBytes: number;
  log: Logger;
  /** Closes and reopens the store and proves it takes a write; throws when it does not. */
  reopen(): Promise<void>;
}

export interface StoreStatus {
  state: 'healthy' | 'unhealthy';
  /** When writes started failing (ms since epoch). */
  since?: number;
  error?: string;
}

export class StoreHealth {
  private failure: { since: number; error: string } | null = null;
  private reopening = false;
  private retry: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: StoreHealthOptions) {}

  /** False from the first storage failure of a write until the store has been reopened. */
  get writable(): boolean {
    return this.failure === null;
  }

  /** Writes go through while healthy, and during a reopen (its probe write). */
  get acceptsWrites(): boolean {
    return this.failure === null || this.reopening;
  }

  get status(): StoreStatus {
    return this.failure ? { state: 'unhealthy', since: this.failure.since, error: this.failure.error } : { state: 'healthy' };
  }

  /** Called with every failed write; a storage failure makes the store unavailable and starts the recovery. */
  reportWriteFailure(error: unknown): void {
    if (!isStorageFailure(error) || error instanceof StoreUnavailableError || this.failure || this.stopped) return;
    this.failure = { since: Date.now(), error: String(error) };
    this.attempts = 0;
    this.options.log.error('the store failed to write; writes are refused until it is reopened (free space in DATA_DIR if it is full)', {
      error: String(error),
    });
    this.schedule();
  }

  /** Logs a write that was skipped because the store is unavailable (e.g. a session renewal). */
  noteSkippedWrite(what: string, error: unknown): void {
    this.options.log.warn(`skipped ${what}: the store is unavailable`, { error: String(error) });
  }

  /** Resolves when the store takes writes (at once when it does). */
  whenWritable(): Promise<void> {
    if (this.writable) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops retrying (the store is being closed for good). */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(this.attempts, 10));
    this.retry = setTimeout(() => void this.attempt(), delay);
    this.retry.unref();
  }

  private async attempt(): Promise<void> {
    this.retry = null;
    if (this.stopped || !this.failure) return;
    this.attempts++;
    const remind = this.attempts % LOG_EVERY_ATTEMPTS === 0;
    const free = await freeBytes(this.options.location);
    if (free !== null && free < this.options.minFreeBytes) {
      if (remind)
        this.options.log.error('the store is still unavailable: too little free space to reopen it', {
          freeBytes: free,
          neededBytes: this.options.minFreeBytes,
        });
      this.schedule();
      return;
    }
    this.reopening = true;
    try {
      await this.options.reopen();
    } catch (error) {
      if (remind || this.attempts === 1) this.options.log.error('reopening the store failed; trying again', { error: String(error) });
      this.schedule();
      return;
    } finally {
      this.reopening = false;
    }
    if (this.stopped) return;
    const downMs = Date.now() - (this.failure?.since ?? Date.now());
    this.failure = null;
    this.options.log.info('the store was reopened and takes writes again', { unavailableMs: downMs, attempts: this.attempts });
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/** Free bytes for unprivileged writers on the filesystem of `location`, or null if that cannot be told. */
async function freeBytes(location: string): Promise<number | null> {
  try {
    const stats = await statfs(location);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
