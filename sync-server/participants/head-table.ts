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
    if (this.records.putNext) {
      // The store numbers it (a cluster); meanwhile a second put compares with this head.
      this.newest.set(conversationId, { head, rev: before?.rev ?? 0 });
      const record = await this.records.putNext(conversationId, head);
      if (this.newest.get(conversationId)?.head === head) this.newest.set(conversationId, record);
      return record;
    }
    const record: HeadRecord = { head, rev: Math.max(this.now(), (before?.rev ?? 0) + 1) };
    // In memory first: a second put while this one is on its way to the disk compares with it and takes a higher rev.
    this.newest.set(conversationId, record);
    await this.records.put(conversationId, record);
    return record;
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
  return a.seq === b.seq && a.at === b.at && a.author === b.author && a.kind === b.kind && a.preview === b.preview;
}
