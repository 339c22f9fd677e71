/**
 * The storage seam of the relay: each Yjs document is a log of updates
 * numbered by a clock, plus who writes under each Yjs client id. A room
 * loads the log once, appends each batch it applied (updates and the client
 * owners they introduce, atomically) before anyone sees it, and now and then
 * compacts the log into one merged update.
 *
 * Implementations: `LevelDocumentLog` (the product, one LevelDB per process)
 * and `MemoryDocumentLog` (tests: rooms without disk). Both pass the one
 * contract suite in `document-log.contract.ts`; a new implementation (e.g.
 * PostgreSQL for a cluster, where a batch is one transaction that commits
 * only while this process still owns the document) must pass it too.
 */

/** A Yjs client id and the person who first wrote the document under it (relay/trust/client-owners.ts). */
export type ClientOwnerEntry = readonly [clientId: number, userId: string];

export interface StoredDoc {
  /** All stored updates merged into one (empty document when nothing was stored). */
  update: Uint8Array;
  /** Number of entries in the log. */
  entries: number;
  /** The clock the next append must use. */
  nextClock: number;
  /** Who writes the document under each client id. */
  clientOwners: Map<number, string>;
}

/** What one append stores, all or nothing: an update is never stored without the owner of its client id. */
export interface LogBatch {
  /** Stored at consecutive clocks from the expected next clock on (may be empty: owners only). */
  updates: readonly Uint8Array[];
  clientOwners: readonly ClientOwnerEntry[];
}

/**
 * Stored, or refused because the log is no longer where the writer thinks
 * (someone else wrote to it since it was loaded): nothing of the batch is
 * stored then, and the writer's copy of the document must not be reused.
 * `fenced`: another process claimed the document since this one loaded it
 * (PostgreSQL, docs/SCALING.md); a room treats it like any refusal.
 * A failing storage throws instead.
 */
export type AppendOutcome = { stored: true } | { stored: false; nextClock: number; fenced?: true };

export interface DocumentLog {
  /** False while the log refuses writes (full disk, storage error): rooms refuse changes up front then. */
  readonly writable: boolean;
  /**
   * True when the log lives in a database server reached over the network
   * (PostgreSQL): a failed write then means it is out of reach for a while,
   * not out of space, and its writers are told 1013 (come back soon) rather
   * than 4507 (relay/storage-outage.ts).
   */
  readonly remote?: boolean;
  /** The whole document as stored; the caller appends from `nextClock` on. */
  load(docName: string): Promise<StoredDoc>;
  /** Appends a batch atomically at `expectedNextClock` (the clock after the caller's last load or append). */
  append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome>;
  /**
   * Replaces every entry below `uptoClock` by one merged update stored at
   * `uptoClock - 1`, atomically; entries appended from `uptoClock` on stay.
   */
  compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void>;
}
