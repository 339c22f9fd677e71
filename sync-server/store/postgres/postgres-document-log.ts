/**
 * The document log in PostgreSQL (document-log.ts), with one owner per
 * document, fenced (docs/SCALING.md):
 *
 * - `load` claims the document for this process in one statement (a SQL
 *   function, migrations/035_claim_document.sql): the `doc` row is locked
 *   (`SELECT … FOR UPDATE`), and if no other process with a running lease
 *   owns it, it becomes this process's with `epoch + 1`; the log is read in
 *   the same transaction, so what is loaded is exactly what the claim saw.
 *   Owned by another live process: it throws `DocumentOwnedElsewhere` (the
 *   relay closes the socket with 1013 and the client comes back).
 * - `append` moves `next_clock` on only if the epoch is still this load's
 *   and the clock is the expected one, and writes the entries and client
 *   owners only if it did; otherwise nothing is written: `{stored: false}`
 *   (with `fenced` when another process claimed it since). The appends of
 *   all rooms ready together are one transaction, each fenced on its own
 *   (group-append.ts). Clocks are never a SEQUENCE: a
 *   sequence hands out numbers outside the transaction, so a rolled-back
 *   batch would leave a gap.
 * - `compact` is one transaction, fenced the same way.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from '../document-log.js';
import { TurnGroups } from '../turn-groups.js';
import { asBuffer, GroupAppend } from './group-append.js';
import { DEFAULT_GROUPS_IN_FLIGHT, inTransaction } from './pool.js';
import type { ProcessLease } from './process-lease.js';

/** The document is owned by another relay whose lease still runs. */
export class DocumentOwnedElsewhere extends Error {
  constructor(
    readonly docName: string,
    readonly owner: string,
  ) {
    super(`${docName} is owned by relay ${owner}`);
    this.name = 'DocumentOwnedElsewhere';
  }
}

/** The document was claimed by another relay since this one loaded it: nothing was written. */
export class DocumentFenced extends Error {
  constructor(readonly docName: string) {
    super(`${docName} was claimed by another relay since this one loaded it`);
    this.name = 'DocumentFenced';
  }
}

/** The claim's answer (migrations/035_claim_document.sql): the claim's row first, then log entries, then client owners. */
interface ClaimRow {
  held_by: string | null;
  epoch: string | null;
  next_clock: string | null;
  entry: Buffer | null;
  client_id: string | null;
  user_id: string | null;
}

const CLAIM_DOCUMENT = 'SELECT * FROM claim_document($1, $2)';

/** A document given up, fenced by the epoch of the claim being given up. */
interface QueuedRelease {
  docName: string;
  epoch: number;
  answer(): void;
  failed(error: unknown): void;
}

const RELEASE_DOCUMENTS = `UPDATE doc SET owner = NULL FROM unnest($1::text[], $2::bigint[]) AS released (name, epoch)
  WHERE doc.name = released.name AND doc.epoch = released.epoch`;

export class PostgresDocumentLog implements DocumentLog {
  /** Writes are fenced per transaction; there is no outage state to refuse changes up front. */
  readonly writable = true;
  readonly remote = true;
  /** The epoch of each document this process claimed (the fence of its appends). */
  private readonly epochs = new Map<string, number>();
  private readonly lostListeners = new Set<(docNames: string[]) => void>();
  private readonly groupAppend: GroupAppend;
  /** One at a time: releases asked for while one is on its way go in the next. */
  private readonly releases = new TurnGroups<QueuedRelease>({ write: (group) => this.releaseGroup(group) });

  /** `groupsInFlight`: group commits on their way at once (pool.ts, `groupsInFlightFor`). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly lease: ProcessLease,
    groupsInFlight = DEFAULT_GROUPS_IN_FLIGHT,
  ) {
    this.groupAppend = new GroupAppend(pool, groupsInFlight);
    lease.onLost(() => {
      const lost = [...this.epochs.keys()];
      this.epochs.clear();
      for (const listener of this.lostListeners) listener(lost);
    });
  }

  /** Documents this process holds a claim on now (metrics). */
  get ownedCount(): number {
    return this.epochs.size;
  }

  /** Calls `listener` with the documents this process no longer owns once its lease is lost (their rooms must go). */
  onOwnershipLost(listener: (docNames: string[]) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  async load(docName: string): Promise<StoredDoc> {
    // One statement, so one round trip and its own transaction (migrations/035_claim_document.sql): the row made and
    // locked, the owner's lease read after the lock, the epoch moved, then the log and the client owners read while
    // the lock is held, so what is loaded is exactly what the claim saw.
    const { rows } = await this.pool.query<ClaimRow>({
      name: 'happychat-claim-document',
      text: CLAIM_DOCUMENT,
      values: [docName, this.lease.id],
    });
    const [claim] = rows;
    if (claim.held_by !== null) throw new DocumentOwnedElsewhere(docName, claim.held_by);
    const entries: Uint8Array[] = [];
    const clientOwners = new Map<number, string>();
    for (let at = 1; at < rows.length; at++) {
      const row = rows[at];
      if (row.entry !== null) entries.push(new Uint8Array(row.entry));
      else clientOwners.set(Number(row.client_id), row.user_id as string);
    }
    this.epochs.set(docName, Number(claim.epoch));
    return {
      update: entries.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(entries),
      entries: entries.length,
      nextClock: Number(claim.next_clock),
      clientOwners,
    };
  }

  append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    // Not claimed (or no longer: the lease was lost): -1 matches no epoch, so the batch is refused like a fenced one.
    const epoch = this.epochs.get(docName) ?? -1;
    return this.groupAppend.append({ docName, epoch, batch, expectedNextClock });
  }

  /** Stores a conversation's shared head with the next group commit (group-append.ts, `rideHead`; postgres-head-records.ts). */
  rideHead(conversationId: string, json: string): Promise<number | null> {
    return this.groupAppend.rideHead(conversationId, json);
  }

  /** Group commits made so far (group-append.ts), and the appends they carried: tests and the bench. */
  get groups(): number {
    return this.groupAppend.groups;
  }

  get appends(): number {
    return this.groupAppend.appends;
  }

  /** The most group commits that were on their way at once (tests). */
  get mostGroupsInFlight(): number {
    return this.groupAppend.mostInFlight;
  }

  async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    const epoch = this.epochs.get(docName) ?? -1;
    await inTransaction(this.pool, async (client) => {
      // Locks the document's row for the transaction, and only while this process's claim holds.
      const fence = await client.query('SELECT 1 FROM doc WHERE name = $1 AND epoch = $2 FOR UPDATE', [docName, epoch]);
      if (fence.rowCount !== 1) throw new DocumentFenced(docName);
      await client.query('DELETE FROM doc_update WHERE name = $1 AND clock < $2', [docName, uptoClock]);
      await client.query('INSERT INTO doc_update (name, clock, update) VALUES ($1, $2, $3)', [docName, uptoClock - 1, asBuffer(merged)]);
    });
  }

  /**
   * Gives up the claim on a document this process unloaded, so another may
   * claim it without waiting for the lease to run out. A claim made since
   * (a newer epoch) is left alone. The releases asked for in one turn are
   * one statement, and one commit, at its end (`releaseGroup`).
   */
  release(docName: string): Promise<void> {
    const epoch = this.epochs.get(docName);
    if (epoch === undefined) return Promise.resolve();
    this.epochs.delete(docName);
    return new Promise((answer, failed) => this.releases.add({ docName, epoch, answer, failed }));
  }

  /**
   * The documents of one turn's releases, given up together. Rooms unloaded together are usually loaded together
   * (the `user/<id>` documents of a conversation's members, by one round of heads), and each release was a commit of
   * its own (docs/PERFORMANCE.md, issue 11, session 15). A release whose claim moved on (a newer epoch) matches no
   * row, as before.
   */
  private async releaseGroup(group: QueuedRelease[]): Promise<void> {
    await this.pool.query({
      name: 'happychat-release-documents',
      text: RELEASE_DOCUMENTS,
      values: [group.map((release) => release.docName), group.map((release) => release.epoch)],
    });
    for (const release of group) release.answer();
  }
}
