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
 */
import * as Y from 'yjs';
import type { Database } from './database.js';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from './document-log.js';
import { compositeKey, keyPrefix, logKey, logRange, parseLogKey, prefixRange } from './keys.js';

export class LevelDocumentLog implements DocumentLog {
  /** The next clock of each document this process loaded or appended to. */
  private readonly nextClocks = new Map<string, number>();

  constructor(private readonly db: Database) {}

  get writable(): boolean {
    return this.db.health.writable;
  }

  async load(docName: string): Promise<StoredDoc> {
    const updates: Uint8Array[] = [];
    let lastClock = -1;
    for await (const [key, value] of this.db.docs.iterator(logRange(docName))) {
      updates.push(value);
      lastClock = parseLogKey(key)?.clock ?? lastClock;
    }
    const update = updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
    const clientOwners = new Map<number, string>();
    const ownersPrefix = keyPrefix(docName);
    for await (const [key, userId] of this.db.clientOwners.iterator(prefixRange(ownersPrefix))) {
      clientOwners.set(Number(key.slice(ownersPrefix.length)), userId);
    }
    this.nextClocks.set(docName, lastClock + 1);
    return { update, entries: updates.length, nextClock: lastClock + 1, clientOwners };
  }

  async append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    const known = this.nextClocks.get(docName);
    if (known !== undefined && known !== expectedNextClock) return { stored: false, nextClock: known };
    const { updates, clientOwners } = batch;
    if (updates.length === 1 && clientOwners.length === 0) {
      await this.db.docs.put(logKey(docName, expectedNextClock), updates[0]);
    } else {
      const write = this.db.root.batch();
      updates.forEach((update, i) => write.put(logKey(docName, expectedNextClock + i), update, { sublevel: this.db.docs }));
      for (const [clientId, userId] of clientOwners) write.put(compositeKey(docName, clientId), userId, { sublevel: this.db.clientOwners });
      await write.write();
    }
    const nextClock = expectedNextClock + updates.length;
    this.nextClocks.set(docName, nextClock);
    if (updates.length > 0) this.db.marks.note(docName, nextClock);
    return { stored: true };
  }

  async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    const write = this.db.root.batch();
    for await (const key of this.db.docs.keys({ gte: logRange(docName).gte, lt: logKey(docName, uptoClock - 1) })) {
      write.del(key, { sublevel: this.db.docs });
    }
    write.put(logKey(docName, uptoClock - 1), merged, { sublevel: this.db.docs });
    await write.write();
  }
}
