/**
 * The room's answers to sync step 1 (issue 20, item 3). Encoding a diff of
 * a large document is itself the allocation an attacker wants, so the size
 * of an answer is estimated first and a connection (or person) whose queue
 * could not take it is dropped before anything is encoded. Answers to an
 * empty state vector (every fresh device) are all the same bytes: one frame
 * per document version is encoded and shared by every connection that asks
 * while it is still queued somewhere, and counted once per person
 * (send-queues.ts). It is held weakly: once every socket has written it out,
 * the room does not keep a second copy of the document in memory.
 *
 * A sleeping room (dormant-document.ts) answers from the update it keeps,
 * with `Y.diffUpdate`, under the same bounds and refusals and in the same
 * frames, without building its Y.Doc again: a reconnect storm re-syncs every
 * open conversation and would otherwise wake them all (issue 14).
 */
import * as Y from 'yjs';
import type { Connection } from './connection.js';
import { encodeSyncStep2 } from './frames.js';

/** A sleeping room's document: the update it keeps and that update's state vector. */
export interface KeptDocument {
  readonly update: Uint8Array;
  readonly stateVector: Uint8Array;
  /** Its delete set as an update with no struct: the whole answer to a replica that lacks nothing (every device after a network blip). */
  readonly deletions: Uint8Array;
}

export class SyncAnswers {
  /** The whole document as a step 2 frame, for the current version, while anyone still holds it; null once the document changed. */
  private wholeDocument: WeakRef<Uint8Array> | null = null;
  /** About the bytes of the whole document: its stored size plus every update since (an overestimate). */
  private approxBytes: number;
  /** Set in the constructor, not as a field initializer (which `tsx` names at a cost per room: issue 14). */
  private readonly onUpdate: (update: Uint8Array) => void;
  /** The document while the room is awake; null while it sleeps. */
  private doc: Y.Doc | null = null;
  /** What the room keeps while it sleeps (`sleep`); null while awake. */
  private kept: KeptDocument | null = null;

  /**
   * Answers from `source`: an awake room's document, or what a sleeping room
   * keeps. `whole`: the document as one update, when the room has it (a
   * compacted log, as loaded): the first answer is made of it.
   */
  constructor(source: Y.Doc | KeptDocument, storedBytes: number, whole: Uint8Array | null = null) {
    this.approxBytes = storedBytes;
    if (whole) this.wholeDocument = new WeakRef(encodeSyncStep2(whole));
    this.onUpdate = (update) => {
      this.wholeDocument = null;
      this.approxBytes += update.byteLength;
    };
    if (source instanceof Y.Doc) this.wake(source);
    else this.sleep(source);
  }

  /**
   * The room sleeps: answers come from `kept` until `wake`; the kept
   * update's size is the whole document's, exactly.
   */
  sleep(kept: KeptDocument): void {
    this.doc?.off('update', this.onUpdate);
    this.doc = null;
    this.kept = kept;
    this.approxBytes = kept.update.byteLength;
    // Let the frame go with the document: a WeakRef's target still held here cost a sleeping room ~0.37 KiB of heap
    // (1,000 rooms, heap after GC), and the kept update makes the next one without encoding.
    this.wholeDocument = null;
  }

  /** The room woke with `doc`, built from the kept update: answers come from it again. */
  wake(doc: Y.Doc): void {
    this.kept = null;
    this.doc = doc;
    doc.on('update', this.onUpdate);
  }

  /** Sends what `connection` lacks; false when the state vector is malformed (the caller refuses it). */
  answer(connection: Connection, stateVector: Uint8Array): boolean {
    let known: Map<number, number>;
    try {
      known = Y.decodeStateVector(stateVector);
    } catch {
      return false;
    }
    const share = this.missingShare(known);
    if (share === 1) {
      this.sendWholeDocument(connection);
      return true;
    }
    // Estimated from the share of clocks the client lacks; the real size is checked again when sent.
    if (!connection.admits(Math.ceil(this.wholeBytes() * share), { answer: true })) return true;
    let diff: Uint8Array;
    try {
      // Asleep, `Y.diffUpdate` reads every struct of the kept update (~60 ms for 10,000 messages); a replica lacking nothing needs none.
      if (this.kept) diff = share === 0 ? this.kept.deletions : Y.diffUpdate(this.kept.update, stateVector);
      else diff = Y.encodeStateAsUpdate(this.requireDoc(), stateVector);
    } catch {
      return false;
    }
    connection.send(encodeSyncStep2(diff), { answer: true });
    return true;
  }

  destroy(): void {
    this.doc?.off('update', this.onUpdate);
    this.doc = null;
    this.kept = null;
    this.wholeDocument = null;
  }

  private sendWholeDocument(connection: Connection): void {
    const cached = this.wholeDocument?.deref() ?? null;
    if (!connection.admits(cached?.byteLength ?? this.approxBytes, { answer: true, shared: true }, cached)) return;
    // Asleep, the whole document is the kept update itself: no encoding, no diff.
    const frame = cached ?? encodeSyncStep2(this.kept ? this.kept.update : Y.encodeStateAsUpdate(this.requireDoc()));
    this.wholeDocument = new WeakRef(frame);
    this.approxBytes = frame.byteLength;
    connection.send(frame, { answer: true, shared: true });
  }

  private wholeBytes(): number {
    return this.wholeDocument?.deref()?.byteLength ?? this.approxBytes;
  }

  /** The share (0–1) of the document's clocks that a peer knowing `known` lacks; 1 when it knows nothing of it. */
  private missingShare(known: Map<number, number>): number {
    let total = 0;
    let missing = 0;
    if (this.kept) {
      for (const [client, state] of Y.decodeStateVector(this.kept.stateVector)) {
        total += state;
        missing += Math.max(0, state - (known.get(client) ?? 0));
      }
    } else {
      const store = this.requireDoc().store;
      for (const client of store.clients.keys()) {
        const state = Y.getState(store, client);
        total += state;
        missing += Math.max(0, state - (known.get(client) ?? 0));
      }
    }
    return total === 0 || missing === total ? 1 : missing / total;
  }

  private requireDoc(): Y.Doc {
    if (!this.doc) throw new Error('sync answers asked after their room was destroyed');
    return this.doc;
  }
}
