/**
 * When each person was last seen, whether they are online now, and whether
 * they hide it (issue 15; presence/presence-service.ts holds the rules).
 * `LevelLastSeenStore` (level-last-seen.ts) is the embedded one,
 * `PostgresLastSeenStore` (postgres/postgres-last-seen.ts) the cluster's;
 * both pass last-seen.contract.ts.
 */

export interface LastSeenRecord {
  /** True from the moment a device of theirs connected until the last one left. */
  online: boolean;
  /** When that last changed, or when the relay last confirmed them online (ms since the epoch). */
  seenAt: number;
  /** They chose "nobody" for who sees their last seen. */
  hidden: boolean;
}

export interface LastSeenStore {
  /**
   * Records that the person is online (or went offline) at `at`. A mark older
   * than the one stored is ignored: in a cluster the relay that saw them leave
   * may write after the one that saw them come back.
   */
  markSeen(userId: string, online: boolean, at: number): Promise<void>;
  setHidden(userId: string, hidden: boolean): Promise<void>;
  /** The records of those of `userIds` that have one. */
  recordsOf(userIds: readonly string[]): Promise<Map<string, LastSeenRecord>>;
}

/** The record after a mark, over what was stored; undefined when the mark is older than the stored one. */
export function markedRecord(stored: LastSeenRecord | undefined, online: boolean, at: number): LastSeenRecord | undefined {
  if (stored && stored.seenAt > at) return undefined;
  return { online, seenAt: at, hidden: stored?.hidden ?? false };
}
