/**
 * Each conversation's shared head, kept once (docs/PROTOCOL.md, "Shared
 * conversation heads"; on with `HEADS_SHARED`): the part of a head that is the
 * same for every member, with `rev`, when it was written (ms, never lower
 * than the conversation's previous `rev`, so a client's `since` finds every
 * later one even if the clock steps back; in a cluster a number from the
 * store's one sequence instead, so that revs grow across relays whatever
 * their clocks). One record write per head,
 * whatever the number of members. The records live in a store
 * (`HeadRecords`); the newest of each conversation is also kept in memory
 * for the relay that writes it.
 */
import type { SharedHead } from '../../shared/heads.js';

export interface HeadRecord {
  head: SharedHead;
  rev: number;
}

/** Where the records are stored (store/level-head-records.ts; in a cluster store/postgres/postgres-head-records.ts). */
export interface HeadRecords {
  /** Writes this record as it is (the one-off fill, the copy, and a store that does not number revs itself). */
  put(conversationId: string, record: HeadRecord): Promise<void>;
  /** The records of these conversations, those that have one. */
  recordsOf(conversationIds: readonly string[]): Promise<Map<string, HeadRecord>>;
  /**
   * Writes `head` under a rev the store gives, above every rev it gave
   * before, whichever process asks (PostgreSQL: one sequence for the
   * cluster). Absent: the table numbers revs itself, by the clock (one process).
   */
  putNext?(conversationId: string, head: SharedHead): Promise<HeadRecord>;
  /**
   * A catch-up: the records of these conversations with a rev above `since`,
   * and maybe some written in the last seconds whatever their rev (a
   * cluster: one numbered earlier can be written after a later one).
   * Absent: `recordsOf`, filtered.
   */
  recordsSince?(conversationIds: readonly string[], since: number): Promise<Map<string, HeadRecord>>;
}

/** Records in memory only (tests and the bench's comparison without a disk). */
export class MemoryHeadRecords implements HeadRecords {
  readonly records = new Map<string, HeadRecord>();
  async put(conversationId: string, record: HeadRecord): Promise<void> {
    this.records.set(conversationId, record);
  }
  async recordsOf(conversationIds: readonly string[]): Promise<Map<string, HeadRecord>> {
    const found = new Map<string, HeadRecord>();
    for (const id of conversationIds) {
      const record = this.records.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }
}

export class HeadTable {
  private readonly newest = new Map<string, HeadRecord>();
  private lastRev = 0;

  constructor(
    private readonly records: HeadRecords,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores the head unless it equals the stored one; resolves to the record written, or null when nothing changed. */
  async put(conversationId: string, head: SharedHead): Promise<HeadRecord | null> {
    const before = this.newest.get(conversationId) ?? (await this.records.recordsOf([conversationId])).get(conversationId);
    if (before && sameSharedHead(before.head, head)) {
      this.newest.set(conversationId, before);
      return null;
    }
    const putNext = this.records.putNext?.bind(this.records);
    // In memory first: a second put while this one is on its way to the store compares with it (and, numbered here, takes a higher rev).
    const pending: HeadRecord = putNext ? { head, rev: before?.rev ?? 0 } : { head, rev: this.nextRev(before) };
    this.newest.set(conversationId, pending);
    try {
      if (!putNext) {
        await this.records.put(conversationId, pending);
        return pending;
      }
      // The store numbers it (a cluster).
      const record = await putNext(conversationId, head);
      if (this.newest.get(conversationId) === pending) this.newest.set(conversationId, record);
      return record;
    } catch (error) {
      // Not stored: the same head asked for again must be written, not taken for the stored one.
      if (this.newest.get(conversationId) === pending) this.newest.delete(conversationId);
      throw error;
    }
  }

  /**
   * A rev numbered here (one process): the clock, above the conversation's
   * previous rev and above the last rev this table gave, so that two heads
   * written in one ms (two conversations) get two revs and a client holding
   * one as `since` is still sent the other.
   */
  private nextRev(before: HeadRecord | undefined): number {
    this.lastRev = Math.max(this.now(), (before?.rev ?? 0) + 1, this.lastRev + 1);
    return this.lastRev;
  }

  /** The stored heads of these conversations written after `since` (a client's catch-up). */
  async since(conversationIds: readonly string[], since: number): Promise<Map<string, HeadRecord>> {
    if (this.records.recordsSince) return this.records.recordsSince(conversationIds, since);
    const found = await this.records.recordsOf(conversationIds);
    for (const [id, record] of found) if (record.rev <= since) found.delete(id);
    return found;
  }

  /** Forgets the in-memory copy (the conversation's room unloaded); the record stays stored. */
  forget(conversationId: string): void {
    this.newest.delete(conversationId);
  }
}

function sameSharedHead(a: SharedHead, b: SharedHead): boolean {
  return (
    a.seq === b.seq && a.at === b.at && a.author === b.author && a.kind === b.kind && a.preview === b.preview && a.segment === b.segment
  );
}
