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
 */
import * as Y from 'yjs';
import type { Connection } from './connection.js';
import { encodeSyncStep2 } from './frames.js';

export class SyncAnswers {
  /** The whole document as a step 2 frame, for the current version, while anyone still holds it; null once the document changed. */
  private wholeDocument: WeakRef<Uint8Array> | null = null;
  /** About the bytes of the whole document: its stored size plus every update since (an overestimate). */
  private approxBytes: number;
  /** Set in the constructor, not as a field initializer (which `tsx` names at a cost per room: issue 14). */
  private readonly onUpdate: (update: Uint8Array) => void;

  /** `whole`: the document as one update, when the room has it (a compacted log, as loaded): the first answer is made of it. */
  constructor(
    private readonly doc: Y.Doc,
    storedBytes: number,
    whole: Uint8Array | null = null,
  ) {
    this.approxBytes = storedBytes;
    if (whole) this.wholeDocument = new WeakRef(encodeSyncStep2(whole));
    this.onUpdate = (update) => {
      this.wholeDocument = null;
      this.approxBytes += update.byteLength;
    };
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
      diff = Y.encodeStateAsUpdate(this.doc, stateVector);
    } catch {
      return false;
    }
    connection.send(encodeSyncStep2(diff), { answer: true });
    return true;
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.wholeDocument = null;
  }

  private sendWholeDocument(connection: Connection): void {
    const cached = this.wholeDocument?.deref() ?? null;
    if (!connection.admits(cached?.byteLength ?? this.approxBytes, { answer: true, shared: true }, cached)) return;
    const frame = cached ?? encodeSyncStep2(Y.encodeStateAsUpdate(this.doc));
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
    for (const client of this.doc.store.clients.keys()) {
      const state = Y.getState(this.doc.store, client);
      total += state;
      missing += Math.max(0, state - (known.get(client) ?? 0));
    }
    return total === 0 || missing === total ? 1 : missing / total;
  }
}
