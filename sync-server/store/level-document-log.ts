/**
 * The durable log of each Yjs document: `docName!<zero-padded clock>` →
 * update. Appends are single puts; a log that grows past a threshold is
 * merged into one update and rewritten in a single batch, so a crash in the
 * middle leaves either the old log or the new one, never half of each.
 */
import * as Y from 'yjs';
import { KEY_SEPARATOR as SEP, type Database } from './database.js';

const CLOCK_WIDTH = 12;

function logKey(docName: string, clock: number): string {
  return docName + SEP + String(clock).padStart(CLOCK_WIDTH, '0');
}

function range(docName: string): { gt: string; lt: string } {
  return { gt: docName + SEP, lt: docName + SEP + '\xff' };
}

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

export class DocStore {
  constructor(private readonly db: Database) {}

  /** False while the store refuses writes (full disk, storage error): rooms refuse changes up front then. */
  get writable(): boolean {
    return this.db.health.writable;
  }

  async load(docName: string): Promise<StoredDoc> {
    const updates: Uint8Array[] = [];
    let lastClock = -1;
    for await (const [key, value] of this.db.docs.iterator(range(docName))) {
      updates.push(value);
      lastClock = Number(key.slice(docName.length + 1));
    }
    const update = updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
    const clientOwners = new Map<number, string>();
    for await (const [key, userId] of this.db.clientOwners.iterator(range(docName))) {
      clientOwners.set(Number(key.slice(docName.length + 1)), userId);
    }
    return { update, entries: updates.length, nextClock: lastClock + 1, clientOwners };
  }

  async append(docName: string, clock: number, update: Uint8Array): Promise<void> {
    await this.db.docs.put(logKey(docName, clock), update);
    this.db.marks.note(docName, clock + 1);
  }

  /**
   * Appends several updates atomically, from `firstClock` on (a group commit),
   * with the client-id owners they introduce: an update is never stored
   * without the owner of its client id.
   */
  async appendMany(docName: string, firstClock: number, updates: Uint8Array[], clientOwners: readonly ClientOwnerEntry[] = []): Promise<void> {
    if (updates.length === 1 && clientOwners.length === 0) return this.append(docName, firstClock, updates[0]);
    const batch = this.db.root.batch();
    updates.forEach((update, i) => batch.put(logKey(docName, firstClock + i), update, { sublevel: this.db.docs }));
    for (const [clientId, userId] of clientOwners) batch.put(docName + SEP + clientId, userId, { sublevel: this.db.clientOwners });
    await batch.write();
    if (updates.length > 0) this.db.marks.note(docName, firstClock + updates.length);
  }

  /** Replaces every log entry below `uptoClock` by one merged update stored at `uptoClock - 1`. */
  async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    const batch = this.db.root.batch();
    for await (const key of this.db.docs.keys({ gt: docName + SEP, lt: logKey(docName, uptoClock - 1) })) {
      batch.del(key, { sublevel: this.db.docs });
    }
    batch.put(logKey(docName, uptoClock - 1), merged, { sublevel: this.db.docs });
    await batch.write();
  }
}
