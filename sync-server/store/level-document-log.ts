/**
 * The document log in LevelDB (document-log.ts): `docName!<zero-padded
 * clock>` → update in the `docs` sublevel, `docName!clientId` → user id in
 * `clientOwners`. A batch is one LevelDB batch; a compaction rewrites the
 * old entries in one batch too, so a crash in the middle leaves either the
 * old log or the new one, never half of each. Every acknowledged append is
 * noted in the marks the store check compares against (doc-marks.ts).
 *
 * One process owns the directory (LevelDB's lock), so the check that an
 * append continues the log compares against what this process loaded and
 * wrote: no read per append.
 *
 * Appends of all documents that arrive together are written in one LevelDB
 * batch (group-commit.ts): one write per process turn, not per message.
 */
import * as Y from 'yjs';
import type { Database } from './database.js';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from './document-log.js';
import { GroupCommit } from './group-commit.js';
import { compositeKey, keyPrefix, logKey, logRange, parseLogKey, prefixRange } from './keys.js';

/** One entry of an append: a log entry or a client owner. */
type AppendOperation =
  | { type: 'put'; sublevel: Database['docs']; key: string; value: Uint8Array }
  | { type: 'put'; sublevel: Database['clientOwners']; key: string; value: string };

/** One entry of a compaction: an old log entry deleted, or the merged entry written. */
type CompactOperation =
  | { type: 'del'; sublevel: Database['docs']; key: string }
  | { type: 'put'; sublevel: Database['docs']; key: string; value: Uint8Array };

export class LevelDocumentLog implements DocumentLog {
  /** The next clock of each document this process loaded or appended to. */
  private readonly nextClocks = new Map<string, number>();
  /** Writes the appends of every document that arrive together as one batch. */
  readonly groupCommit: GroupCommit<AppendOperation>;

  constructor(private readonly db: Database) {
    this.groupCommit = new GroupCommit((operations) => this.writeOperations(operations));
  }

  get writable(): boolean {
    return this.db.health.writable;
  }

  async load(docName: string): Promise<StoredDoc> {
    // `all()`, not `for await`: classic-level's iterator asks LevelDB for one entry first and then for the rest, two
    // jobs on the libuv pool and two wake-ups of its threads; `all()` asks for up to 1,000 at once (issue 14, session 11).
    const entries = await this.db.docs.iterator(logRange(docName)).all();
    const updates: Uint8Array[] = [];
    let lastClock = -1;
    for (const [key, value] of entries) {
      updates.push(value);
      lastClock = parseLogKey(key)?.clock ?? lastClock;
    }
    const update = updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
    const clientOwners = new Map<number, string>();
    const ownersPrefix = keyPrefix(docName);
    for (const [key, userId] of await this.db.clientOwners.iterator(prefixRange(ownersPrefix)).all()) {
      clientOwners.set(Number(key.slice(ownersPrefix.length)), userId);
    }
    this.nextClocks.set(docName, lastClock + 1);
    return { update, entries: updates.length, nextClock: lastClock + 1, clientOwners };
  }

  async append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    const known = this.nextClocks.get(docName);
    if (known !== undefined && known !== expectedNextClock) return { stored: false, nextClock: known };
    const { updates, clientOwners } = batch;
    const operations: AppendOperation[] = updates.map((update, i) => ({
      type: 'put',
      sublevel: this.db.docs,
      key: logKey(docName, expectedNextClock + i),
      value: update,
    }));
    for (const [clientId, userId] of clientOwners) {
      operations.push({ type: 'put', sublevel: this.db.clientOwners, key: compositeKey(docName, clientId), value: userId });
    }
    if (operations.length > 0) await this.groupCommit.write(operations);
    const nextClock = expectedNextClock + updates.length;
    this.nextClocks.set(docName, nextClock);
    if (updates.length > 0) this.db.marks.note(docName, nextClock);
    return { stored: true };
  }

  private async writeOperations(operations: AppendOperation[]): Promise<void> {
    const [first] = operations;
    // A lone log entry (the usual paced message) is cheaper as a put than as a batch of one.
    if (operations.length === 1 && first.value instanceof Uint8Array) await this.db.docs.put(first.key, first.value);
    else await this.db.root.batch(operations);
  }

  async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    // One array batch, as atomic as a chained one: a chained batch's `del` per old entry was ~1 % of the relay's
    // main thread in the fan-in/out profile (issue 14, session 9); an array batch costs about half per key.
    const operations: CompactOperation[] = [];
    for (const key of await this.db.docs.keys({ gte: logRange(docName).gte, lt: logKey(docName, uptoClock - 1) }).all()) {
      operations.push({ type: 'del', sublevel: this.db.docs, key });
    }
    operations.push({ type: 'put', sublevel: this.db.docs, key: logKey(docName, uptoClock - 1), value: merged });
    await this.db.root.batch(operations);
  }
}
