/**
 * The document log in memory (document-log.ts), for tests of rooms that
 * need neither disk nor sockets (testing/room-harness.ts). It keeps the
 * same promises as the LevelDB log: batches all or nothing, an append only
 * at the log's next clock, compaction that keeps later entries. Set
 * `writable` to false to play a full disk (writes then throw, as LevelDB's do).
 */
import * as Y from 'yjs';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from './document-log.js';
import { StoreUnavailableError } from './store-health.js';

interface MemoryDoc {
  /** Clock → update, in clock order (appends only add higher clocks; compaction rebuilds the map). */
  entries: Map<number, Uint8Array>;
  owners: Map<number, string>;
  nextClock: number;
}

export class MemoryDocumentLog implements DocumentLog {
  writable = true;
  private readonly docs = new Map<string, MemoryDoc>();

  async load(docName: string): Promise<StoredDoc> {
    const doc = this.docs.get(docName);
    const updates = doc ? [...doc.entries.values()] : [];
    return {
      update: updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates),
      entries: updates.length,
      nextClock: doc?.nextClock ?? 0,
      clientOwners: new Map(doc?.owners),
    };
  }

  async append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    if (!this.writable) throw new StoreUnavailableError();
    const doc = this.docOf(docName);
    if (doc.nextClock !== expectedNextClock) return { stored: false, nextClock: doc.nextClock };
    // Copies: the caller may reuse its buffers, and a stored entry must not change afterwards.
    batch.updates.forEach((update, i) => doc.entries.set(expectedNextClock + i, update.slice()));
    for (const [clientId, userId] of batch.clientOwners) doc.owners.set(clientId, userId);
    doc.nextClock += batch.updates.length;
    return { stored: true };
  }

  async compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    if (!this.writable) throw new StoreUnavailableError();
    const doc = this.docOf(docName);
    const entries = new Map<number, Uint8Array>([[uptoClock - 1, merged.slice()]]);
    for (const [clock, update] of doc.entries) if (clock >= uptoClock) entries.set(clock, update);
    doc.entries = entries;
    doc.nextClock = Math.max(doc.nextClock, uptoClock);
  }

  private docOf(docName: string): MemoryDoc {
    let doc = this.docs.get(docName);
    if (!doc) {
      doc = { entries: new Map(), owners: new Map(), nextClock: 0 };
      this.docs.set(docName, doc);
    }
    return doc;
  }
}
