/**
 * What a sleeping room keeps of its document (docs/ARCHITECTURE.md,
 * "Dormant rooms"), and what it can tell from those bytes without building
 * a Y.Doc again. After a network blip or a relay restart every client
 * re-syncs every conversation it has open: it sends a sync step 1, and it
 * answers the room's step 1 with a step 2 that, from a replica holding
 * nothing new, has no struct and the replica's whole delete set. Neither
 * needs the document: the step 1 is answered from the kept update
 * (sync-answers.ts), and such a step 2 is recognised here as bringing
 * nothing, so a reconnect storm wakes no sleeping room (issue 14).
 */
import * as Y from 'yjs';
import type { SequencerPosition } from '../participants/sequencer.js';
import type { KeptDocument } from './sync-answers.js';
import { sameBytes } from '../../shared/same-bytes.js';

/**
 * How much larger than the kept delete set a step 2 may be and still be
 * judged here: an honest replica's delete set is the room's or part of it
 * (at most about twice as many ranges, when it lacks deletions between
 * others). Anything larger goes to the awake room, whose validator bounds it.
 */
const SLACK_BYTES = 64;

export class DormantDocument implements KeptDocument {
  private constructor(
    /** `Y.encodeStateAsUpdate` of the document as it slept: every change in it is stored. */
    readonly update: Uint8Array,
    /**
     * Its delete set as the update with no struct a replica holding everything
     * sends and is sent, then its state vector, in one array: a sleeping room
     * is mostly such small objects, and each typed array costs ~0.2 KiB of
     * heap (issue 14). `stateVectorAt` is where the state vector starts.
     */
    private readonly deletionsThenStateVector: Uint8Array,
    private readonly stateVectorAt: number,
    /** The document's client id: the server's presence and writes stay under the same id. */
    readonly clientId: number,
    /** Where the sequencer stood (its closed flag and next number); null in documents without one. */
    readonly sequencer: SequencerPosition | null,
  ) {}

  /** Keeps `doc` as bytes; `sequencer`: where the room's sequencer stands, if it has one. */
  static of(doc: Y.Doc, sequencer: SequencerPosition | null): DormantDocument {
    const stateVector = Y.encodeStateVector(doc);
    const deletions = Y.encodeStateAsUpdate(doc, stateVector);
    const both = new Uint8Array(deletions.byteLength + stateVector.byteLength);
    both.set(deletions);
    both.set(stateVector, deletions.byteLength);
    return new DormantDocument(Y.encodeStateAsUpdate(doc), both, deletions.byteLength, doc.clientID, sequencer);
  }

  /** Its state vector: the room's step 1 to a connection that joins while it sleeps, and what its answers are measured by. */
  get stateVector(): Uint8Array {
    return this.deletionsThenStateVector.subarray(this.stateVectorAt);
  }

  /** Its delete set as an update with no struct (two bytes when nothing is deleted). */
  get deletions(): Uint8Array {
    return this.deletionsThenStateVector.subarray(0, this.stateVectorAt);
  }

  /**
   * True when `update` has no struct and deletes nothing the document has
   * not deleted: applying it would change nothing, store nothing and send
   * nothing. False whenever in doubt (structs, even known ones, which the
   * validator reads; a large or undecodable delete set): the room then wakes
   * and judges it as it judges every update.
   */
  bringsNothing(update: Uint8Array): boolean {
    // The first varuint of a v1 update counts the clients with structs.
    if (update.byteLength < 2 || update[0] !== 0) return false;
    const deletions = this.deletions;
    if (update.byteLength > 2 * deletions.byteLength + SLACK_BYTES) return false;
    if (sameBytes(update, deletions)) return true;
    try {
      const kept = Y.createSnapshot(Y.decodeUpdate(deletions).ds, Y.decodeStateVector(this.stateVector));
      return Y.snapshotContainsUpdate(kept, update);
    } catch {
      return false;
    }
  }
}
