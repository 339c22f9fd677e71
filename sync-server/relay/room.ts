/**
 * A loaded document and the connections to it. The room applies what
 * clients send, has the sequencer number new messages, writes every change
 * to the store before anyone sees it, and forwards awareness.
 *
 * Changes are handled one batch at a time through an inbox: apply the
 * batch in memory, append it to the document log in one atomic write
 * (store/document-log.ts; LevelDB in the product), then broadcast it and
 * answer the sync requests that came with it. So the document in memory is
 * never ahead of the disk when the room answers anyone, and a crash at any
 * moment loses nothing another member has seen (the writer still holds its
 * change and hands it over again when it reconnects).
 *
 * Server-side code takes part through the hooks of participants/participant.ts,
 * which the room calls at load, inside each batch, after each stored batch
 * and at destroy.
 */
import * as Y from 'yjs';
import { parseDocName, segmentOf } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { refusalClose, type Refusal } from '../../shared/refusals.js';
import type { Logger } from '../config.js';
import type { RefusalCounters } from '../operations/counters.js';
import type { AppendOutcome, ClientOwnerEntry, DocumentLog, StoredDoc } from '../store/document-log.js';
import type { ServerParticipant } from '../participants/participant.js';
import { RoomParticipants } from '../participants/room-participants.js';
import { Sequencer, type SequencerPosition } from '../participants/sequencer.js';
import { newestSegmentOf, readsOf } from '../../shared/schema.js';
import type { ConversationSegments } from '../segments/conversation-segments.js';
import { SegmentLink } from '../segments/segment-link.js';
import { SERVER_ORIGIN } from '../participants/server-origin.js';
import type { Connection, ConnectionIdentity } from './connection.js';
import { decodeFrame, encodeSyncStep1, encodeSyncStep2, encodeUpdate, FrameError, type Frame } from './frames.js';
import { takePendingStructs } from './trust/pending-structs.js';
import { applyUpdate } from './trust/update-decoder.js';
import { takeFairBatch } from './fair-batch.js';
import type { PresenceLimits } from './presence-limits.js';
import { RoomPresence, type PresenceHost } from './room-presence.js';
import { bringsChanges, refuseForOutage } from './storage-outage.js';
import { StoreUnavailableError } from '../store/store-health.js';
import { SyncAnswers } from './sync-answers.js';
import { WaitingUpdates } from './trust/waiting-updates.js';
import { DocumentWriteBudget, type PersonWriteQuotas } from './write-quota.js';
import type { DormantCandidate, RoomDormancy } from './room-dormancy.js';
import { DormantDocument } from './dormant-document.js';

/** The largest conversation document compacted as it unloads: twice a history segment's byte bound (docs/SEGMENTS.md). */
const UNLOAD_COMPACTION_MAX_BYTES = 1024 * 1024;

/**
 * Entries after which the log of a document without a sequencer (a person's
 * user document) is compacted; conversations wait for `compactThreshold`.
 * Such a document is small and gets many small changes (a head per stored
 * batch of each of the person's conversations), and one nobody has open is
 * loaded again for each round of heads: every load merges its whole log, so
 * a short log keeps that cheap (issue 14).
 */
const UNSEQUENCED_COMPACT_ENTRIES = 64;

export interface RoomOptions {
  docName: string;
  /** The document's log (store/document-log.ts): LevelDB in the product, in memory in room tests. */
  store: DocumentLog;
  stored: StoredDoc;
  /** Conversation documents are sequenced (the room brings its own sequencer); user documents are not. */
  sequenced: boolean;
  /** The server's participants (participants/participant.ts), called after the room's sequencer; none in unit tests of the room. */
  participants?: readonly ServerParticipant[];
  compactThreshold: number;
  log: Logger;
  /** Called when a write failed: the room's memory is ahead of the disk and must not be reused. */
  onStorageFailure(room: Room): void;
  /**
   * After a failed write (full disk): loads a fresh copy of the document from
   * disk and moves `readers` to it, so only the writers are disturbed; the
   * failed room forwards their frames there. Without it, everyone gets 1013.
   */
  moveReaders?(room: Room, readers: Connection[]): Promise<Room>;
  /** Told of every stored batch, after it is stored (a cluster's owner publishes it to the edges, docs/SCALING.md). */
  onCommitted?(docName: string, fromClock: number, updates: readonly Uint8Array[]): void;
  /** Checks every client update before it is applied (update-validator.ts); none in unit tests of the room. */
  validator?: UpdateValidator;
  /** Counts refusals by rule for `/metrics` (operations/server-metrics.ts); none in unit tests of the room. */
  metrics?: RefusalCounters;
  /** People's byte quotas and the document size budget (write-quota.ts); none in unit tests of the room. */
  writeQuotas?: PersonWriteQuotas;
  /** Presence per person and its batching (presence-limits.ts); the defaults when absent. */
  presenceLimits?: PresenceLimits;
  /**
   * A conversation segment's place in its conversation (docs/SEGMENTS.md):
   * `position` as the list in `conv/<id>` says (null for `conv/<id>` itself,
   * which reads its own list). Absent in unit tests of the room: one segment.
   */
  segment?: { segments: ConversationSegments; position: SequencerPosition | null };
  /** Lets the room drop its Y.Doc while idle (room-dormancy.ts, `ROOM_DORMANT_AFTER_MS`); absent: always awake. */
  dormancy?: RoomDormancy;
}

/** How a client update came: a live change, or a replica's answer to our step 1 (which may hold other people's lost structs). */
export type UpdateSource = 'update' | 'sync-step-2';

/** A refusal, or the part of the update to apply (other people's structs left out of a step 2) and how many parts were left out. */
export type UpdateVerdict = Refusal | { accept: Uint8Array; leftOut: number };

/** The write policy of one loaded document (update-validator.ts). */
export interface UpdateValidator {
  /**
   * Checks a client's update against the document as it is before the
   * update; returns the refusal or what to apply, whole or not at all.
   */
  check(doc: Y.Doc, update: Uint8Array, identity: ConnectionIdentity, source?: UpdateSource): UpdateVerdict;
  /** Binds the new client ids of the last accepted check whose structs integrated (call right after applying it). */
  bindIntegrated(doc: Y.Doc): void;
  /** A client id announced in `userId`'s presence: theirs from now on, unless it is someone's already (client-claims.ts). */
  claim(clientId: number, userId: string): void;
  /** Yjs client ids first used since the last call; stored in the same batch as the updates. */
  takeNewClientOwners(): ClientOwnerEntry[];
  /** The person a Yjs client id belongs to (or is claimed by) in this document, if anyone's yet. */
  ownerOf(clientId: number): string | undefined;
}

type Job =
  | { kind: 'client-update'; connection: Connection; update: Uint8Array; source: UpdateSource }
  | { kind: 'sync-request'; connection: Connection; stateVector: Uint8Array }
  | { kind: 'server-change'; change: (doc: Y.Doc) => void; done: (error?: unknown) => void };

/**
 * The room is its presence's host (room-presence.ts) through methods, not a
 * host object of closures made per room (issue 14: a loaded room's heap).
 */
export class Room implements PresenceHost, DormantCandidate {
  /** The document while the room is awake; null while it sleeps (`dormant` holds it then). */
  private awakeDoc: Y.Doc | null = null;
  /** The document as bytes while the room sleeps (room-dormancy.ts); null while awake. */
  private dormant: DormantDocument | null = null;
  /** The dormancy tick of the last thing the room handled (room-dormancy.ts); a copy per frame, no timer. */
  private activeTick = 0;
  readonly connections = new Set<Connection>();
  /**
   * Presence, made when first needed (issue 14): a document loaded only for
   * a server change (a head written into an offline member's user document)
   * never needs presence records nor a place on the expiry timer.
   */
  private presenceMade: RoomPresence | null = null;
  /** The sequencer (conversations) and the server's participants, called at their moments. */
  private readonly participants: RoomParticipants;
  /** This room's own sequencer (conversations only): says what each stored batch numbered. Null while dormant too. */
  private sequencer: Sequencer | null = null;
  /** How many of the participants are the room's own (`ownParticipants`), made again for each woken document. */
  private ownCount = 0;
  /**
   * Answers to sync step 1, bounded before they are encoded (sync-answers.ts).
   * Dropped as the room sleeps and made from the kept bytes when it first
   * answers asleep: most sleeping rooms answer nobody (issue 14: its heap).
   */
  private syncAnswers: SyncAnswers | null;
  private inbox: Job[] = [];
  private draining: Promise<void> | null = null;
  private failed = false;
  private nextClock: number;
  /** The log clock after the last batch the store acknowledged (`nextClock` runs ahead of it while a write is on its way). */
  private storedNextClock: number;
  private logEntries: number;
  /** Log entries past which the log is compacted (`UNSEQUENCED_COMPACT_ENTRIES`). */
  private readonly compactThreshold: number;
  /** The running compaction of the log, if any (one at a time). */
  private compaction: Promise<void> | null = null;
  /** Set by `compactLog`: the end of the next batch compacts a log of more than one entry, below the threshold too. */
  private compactionAsked = false;
  /** Updates produced by the change being applied, collected by the doc's update handler. */
  private captured: Uint8Array[] = [];
  /** Client updates that arrived before their predecessors (waiting-updates.ts); made when one first waits. */
  private waiting: WaitingUpdates | null = null;
  /** Set when applying a client update threw halfway: memory holds something unchecked. */
  private halfApplied: unknown = null;
  /** Where this room's readers went after a failed write (storage-outage.ts). */
  private successor: Promise<Room> | null = null;
  /** Counts what clients store against their quota and the document's budget. */
  private readonly writeBudget: DocumentWriteBudget | null;
  /** The options, without the stored document: its bytes are in `doc` once applied, and kept they doubled a small room (issue 14). */
  private readonly options: Omit<RoomOptions, 'stored'>;

  constructor(options: RoomOptions) {
    const { stored: _applied, ...kept } = options;
    this.options = kept;
    this.nextClock = options.stored.nextClock;
    this.storedNextClock = this.nextClock;
    this.writeBudget = options.writeQuotas
      ? new DocumentWriteBudget(options.writeQuotas, options.stored.update.byteLength, options.sequenced ? 'conversation' : 'document')
      : null;
    this.logEntries = options.stored.entries;
    this.compactThreshold = options.sequenced ? options.compactThreshold : Math.min(options.compactThreshold, UNSEQUENCED_COMPACT_ENTRIES);
    const docName = parseDocName(options.docName);
    if (!docName) throw new Error(`not a document name: ${options.docName}`);
    const dropped = this.buildDocument(options.stored.update, null);
    // A log of one entry (compacted) is the document as it is: fresh devices get those bytes, not an encoding of them.
    const whole = options.stored.entries === 1 && !dropped ? options.stored.update : null;
    this.syncAnswers = new SyncAnswers(this.doc, options.stored.update.byteLength, whole);
    // `concat` makes the list at its length (a spread into a literal leaves slots to spare in every room: issue 14).
    this.participants = new RoomParticipants(
      { room: this, docName },
      this.ownParticipants(null).concat(options.participants ?? []),
      options.log,
    );
    this.participants.roomLoaded();
    if (options.dormancy) {
      this.activeTick = options.dormancy.now;
      options.dormancy.watch(this);
    }
  }

  /**
   * The document, woken from its bytes if the room sleeps (room-dormancy.ts):
   * whoever reads or writes it goes through here at their moment, so nobody
   * holds a document the room let go of.
   */
  get doc(): Y.Doc {
    return this.awakeDoc ?? this.wake();
  }

  /** Whether the room sleeps: its document is bytes, not a Y.Doc (tests, metrics). */
  get isDormant(): boolean {
    return this.dormant !== null;
  }

  /**
   * Makes the Y.Doc from `update` and what follows it: the room's update
   * capture and its sequencer. The one place for both a load and a wake;
   * `clientId` is the id the document had before it slept (null at load).
   * Returns whether pending structs were dropped.
   */
  private buildDocument(update: Uint8Array, clientId: number | null): boolean {
    // Named, not a random guid: Yjs makes one with 31 calls to crypto.getRandomValues, ~9 % of a document load in the fan-in/out profile (issue 14, session 9).
    const doc = new Y.Doc({ gc: true, guid: this.options.docName });
    Y.applyUpdate(doc, update, SERVER_ORIGIN);
    // After the apply: Yjs gives a document a new id after a remote transaction that wrote under its own.
    if (clientId !== null) doc.clientID = clientId;
    // A log compacted before pending structs were kept out of documents may still hold some.
    const dropped = takePendingStructs(doc) !== null;
    if (dropped) this.options.log.warn('dropped pending structs found in a stored document', { doc: this.options.docName });
    doc.on('update', (change: Uint8Array) => this.captured.push(change));
    this.awakeDoc = doc;
    return dropped;
  }

  /**
   * The room's own participants, made for the document just built: its
   * sequencer (conversations), and the link to the conversation's other
   * segments. `woken`: where the sequencer stood before the room slept.
   */
  private ownParticipants(woken: SequencerPosition | null): ServerParticipant[] {
    const options = this.options;
    if (!options.sequenced) return [];
    const segment = options.segment;
    const position =
      woken ?? (segment ? (segment.position ?? { newest: newestSegmentOf(this.doc).segment === 0, firstSeq: 1 }) : undefined);
    const sequencer = new Sequencer(this.doc, position, 'through-the-room');
    this.sequencer = sequencer;
    const own: ServerParticipant[] = [sequencer];
    const docName = parseDocName(options.docName);
    if (segment && docName?.kind === 'conv') {
      own.push(new SegmentLink(sequencer, segment.segments, docName.id, segmentOf(docName), options.log));
    }
    this.ownCount = own.length;
    return own;
  }

  /**
   * Drops the document if nothing was handled since the dormancy tick
   * `tick` and nothing is in flight: no job queued or being handled, no
   * compaction, no update waiting for its predecessors, no message waiting
   * for a number, nothing failed. Every change in memory is then stored, so
   * the bytes kept are the stored document (room-dormancy.ts).
   */
  sleepIfIdleSince(tick: number): void {
    const doc = this.awakeDoc;
    if (!doc || this.activeTick >= tick || !this.mayDropDocument()) return;
    const sequencer = this.sequencer;
    this.dormant = DormantDocument.of(doc, sequencer ? sequencer.position : null);
    this.participants.releaseDocument(this.ownCount);
    this.syncAnswers?.destroy();
    this.syncAnswers = null;
    doc.destroy();
    this.awakeDoc = null;
    this.sequencer = null;
  }

  private mayDropDocument(): boolean {
    return (
      this.inbox.length === 0 &&
      this.draining === null &&
      this.compaction === null &&
      !this.compactionAsked &&
      !this.failed &&
      this.halfApplied === null &&
      this.successor === null &&
      this.captured.length === 0 &&
      (this.waiting?.isEmpty ?? true) &&
      this.storedNextClock === this.nextClock &&
      !(this.sequencer?.hasWork ?? false) &&
      (this.sequencer?.lateMessages().length ?? 0) === 0
    );
  }

  /** Builds the document again from the bytes the room slept with, and everything that follows it, as a load does. */
  private wake(): Y.Doc {
    const dormant = this.dormant;
    if (!dormant) throw new Error(`room ${this.name} has neither a document nor its bytes`);
    this.dormant = null;
    this.activeTick = this.options.dormancy?.now ?? 0;
    this.options.dormancy?.countWake();
    this.buildDocument(dormant.update, dormant.clientId);
    if (this.syncAnswers) {
      // Made while it slept, from the same bytes: any frame they hold is this document's.
      this.syncAnswers.wake(this.doc);
    } else {
      // The bytes are the whole document as it is: the first fresh device gets them as they are.
      this.syncAnswers = new SyncAnswers(this.doc, dormant.update.byteLength, dormant.update);
    }
    this.participants.bindDocument(this.ownParticipants(dormant.sequencer));
    return this.doc;
  }

  /** Presence in this document (y-protocols awareness, kept as lean records: room-presence.ts), made on first use. */
  get presence(): RoomPresence {
    this.presenceMade ??= new RoomPresence(this.serverClientId, this, this.options.presenceLimits);
    return this.presenceMade;
  }

  /** The document's client id, the server's in presence; a sleeping room keeps it without waking. */
  private get serverClientId(): number {
    return this.dormant ? this.dormant.clientId : this.doc.clientID;
  }

  /** Who writes the document under `clientId`, if anyone yet (PresenceHost). */
  ownerOf(clientId: number): string | undefined {
    return this.options.validator?.ownerOf(clientId);
  }

  /** A client id announced in `userId`'s presence (PresenceHost). */
  claim(clientId: number, userId: string): void {
    this.options.validator?.claim(clientId, userId);
  }

  /** Closes a connection whose presence broke a rule (PresenceHost). */
  refuse(connection: Connection, refusal: Refusal): void {
    this.refuseUpdate(connection, refusal);
  }

  get name(): string {
    return this.options.docName;
  }

  /** The log clock after the last stored batch: in `afterStore`, just past the batch (the search index's crash marks, search-indexer.ts). */
  get storedClock(): number {
    return this.storedNextClock;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    // Step 1 asks the client for what we lack: that is how offline edits come in. A sleeping room asks from its bytes' state vector.
    connection.send(encodeSyncStep1(this.dormant ? this.dormant.stateVector : Y.encodeStateVector(this.doc)));
    this.presence.greet(connection);
    this.participants.connectionsChanged();
  }

  leave(connection: Connection): void {
    if (this.successor)
      void this.successor.then(
        (next) => next.leave(connection),
        () => {},
      );
    if (!this.connections.delete(connection)) return;
    this.waiting?.drop(connection);
    this.presenceMade?.forget(connection);
    this.participants.connectionsChanged();
  }

  /** Handles one frame from a connection; a bad frame closes that connection only. */
  receive(connection: Connection, data: Uint8Array): void {
    if (this.successor) {
      void this.successor.then(
        (next) => next.receive(connection, data),
        () => {},
      );
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      this.refuseFrame(connection, error instanceof FrameError ? error.message : 'malformed frame');
      return;
    }
    switch (frame.type) {
      case 'sync-step-1':
        // Only reads: a sleeping room with nothing queued answers from its bytes, as a batch would answer now.
        if (this.idleAsleep()) this.answerSyncRequest(connection, frame.stateVector);
        else this.submit({ kind: 'sync-request', connection, stateVector: frame.stateVector });
        return;
      case 'sync-step-2':
      case 'update':
        // A replica with nothing new answers our step 1 with its delete set only: nothing to apply, store or send.
        if (this.dormant && this.idleAsleep() && this.dormant.bringsNothing(frame.update)) return;
        this.submit({ kind: 'client-update', connection, update: frame.update, source: frame.type });
        return;
      case 'awareness':
        this.presence.apply(connection, frame.update);
        return;
    }
  }

  /**
   * Whether the room sleeps with nothing queued or being handled: what it
   * answers now is what a batch run now would answer, so ordering per
   * connection holds (a frame sent after one still queued waits behind it).
   */
  private idleAsleep(): boolean {
    return this.dormant !== null && this.inbox.length === 0 && this.draining === null && !this.failed;
  }

  /** Applies a change written by the server itself (meta, system messages); resolves once it is stored. */
  serverChange(change: (doc: Y.Doc) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.submit({ kind: 'server-change', change, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  /**
   * Sets the server's own presence in this document (e.g. the robot typing),
   * or clears it with null. Presence is not stored; it travels as awareness.
   */
  setServerPresence(state: Record<string, unknown> | null): void {
    // Nothing to clear in a presence not made yet (a user document loaded for list typing's first publish).
    if (state === null && !this.presenceMade) return;
    this.presence.setServerState(state);
  }

  /**
   * Whether this room numbers its messages: a conversation's newest segment
   * (docs/SEGMENTS.md). The participants that tell people about messages
   * (heads, push, the robot) act in it only: an older segment's `meta` is
   * a copy that may be stale.
   */
  get numbersMessages(): boolean {
    if (this.dormant) return this.dormant.sequencer?.newest ?? false;
    return this.sequencer !== null && !this.sequencer.isClosed;
  }

  /** The document's stored bytes as its write budget counts them; null without one (unit tests of the room). */
  get storedBytes(): number | null {
    return this.writeBudget?.bytes ?? null;
  }

  /**
   * Numbers messages that arrived late in an older segment of this
   * conversation, in this (the newest) segment's `seq`; resolves once
   * stored. Null when this room does not number (closed, or not a conversation).
   */
  async numberForeign(messageIds: readonly string[]): Promise<Map<string, number> | null> {
    const sequencer = this.awakeSequencer();
    if (!sequencer) return null;
    let numbers: Map<string, number> | null = null;
    await this.serverChange(() => {
      numbers = sequencer.numberForeign(messageIds);
    });
    return numbers;
  }

  /**
   * Closes this segment for numbering (rollover), after every batch before
   * it is stored; returns the highest number it gave and its read markers.
   * Null when this room has no sequencer or is closed already.
   */
  async closeSegment(): Promise<{ last: number; reads: Record<string, number> } | null> {
    const sequencer = this.awakeSequencer();
    if (!sequencer) return null;
    let closed: { last: number; reads: Record<string, number> } | null = null;
    await this.serverChange((doc) => {
      if (sequencer.isClosed) return;
      const reads: Record<string, number> = {};
      readsOf(doc).forEach((read, userId) => {
        if (typeof read === 'number') reads[userId] = read;
      });
      closed = { last: sequencer.close(), reads };
    });
    return closed;
  }

  /** Numbers again after a rollover that could not write the segment list; what waited is numbered now. */
  async reopenSegment(): Promise<void> {
    const sequencer = this.awakeSequencer();
    if (sequencer) await this.serverChange(() => sequencer.reopen());
  }

  /**
   * Compacts the log into one entry once every batch before this call is
   * stored, when it has more than one: a closed history segment after its
   * rollover, a conversation document as it unloads (docs/SEGMENTS.md,
   * "Loading a segment"), so its next load applies one update and fresh
   * devices get those bytes as they are. Rejects when the store refuses writes.
   */
  async compactLog(): Promise<void> {
    if (this.logEntries <= 1) return;
    if (this.dormant && !this.compaction) {
      // The bytes a dormant room keeps are its whole stored document: written as they are, no wake.
      this.compaction = this.compact(this.dormant.update).then((compacted) => this.compactionEnded(compacted));
      await this.flushed();
      return;
    }
    this.compactionAsked = true;
    await this.serverChange(() => {});
    await this.flushed();
  }

  /** Entries in the document's log (one once compacted). */
  get logEntryCount(): number {
    return this.logEntries;
  }

  /**
   * A closed segment holding late messages still without their number from
   * the newest segment. Its log is then not compacted into one entry, so its
   * next load is the room's, whose closed sequencer asks for the numbers
   * again, and never the stored entry alone (stored-segment-reader.ts).
   */
  get awaitsLateNumbers(): boolean {
    // A room sleeps only with no late message (`mayDropDocument`).
    return (this.sequencer?.lateMessages().length ?? 0) > 0;
  }

  /** The sequencer of the awake document (woken if need be); null in documents without one. */
  private awakeSequencer(): Sequencer | null {
    if (this.dormant) this.wake();
    return this.sequencer;
  }

  /** Whether unloading compacts the log first (`compactLog`): a conversation document of more than one entry and at most 1 MiB (a segment; a larger one waits for the threshold). */
  get compactsAtUnload(): boolean {
    if (this.awaitsLateNumbers) return false;
    return !this.failed && this.options.sequenced && this.logEntries > 1 && (this.writeBudget?.bytes ?? 0) <= UNLOAD_COMPACTION_MAX_BYTES;
  }

  /** Resolves when everything received so far is stored and sent, and no compaction is running. */
  async flushed(): Promise<void> {
    while (this.draining || this.compaction) {
      if (this.draining) await this.draining;
      if (this.compaction) await this.compaction;
    }
  }

  destroy(): void {
    this.options.dormancy?.unwatch(this);
    this.participants.roomUnloaded();
    this.syncAnswers?.destroy();
    this.presenceMade?.destroy();
    this.awakeDoc?.destroy();
  }

  private submit(job: Job): void {
    if (this.failed) {
      if (job.kind === 'server-change') job.done(new Error('document storage failed'));
      return;
    }
    if (this.options.dormancy) this.activeTick = this.options.dormancy.now;
    this.inbox.push(job);
    this.startDraining();
  }

  private startDraining(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      // A job submitted after the loop found the inbox empty, but before this ran, would wait for the next frame.
      if (this.inbox.length > 0 && !this.failed) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    // Let the frames that arrived together be handled as one batch.
    await Promise.resolve();
    while (this.inbox.length > 0 && !this.failed) {
      // One person's burst is handled over several batches, so others' updates are not stuck behind it.
      const { now, later } = takeFairBatch(this.inbox, (job) =>
        job.kind === 'server-change'
          ? null
          : { connection: job.connection, bytes: job.kind === 'client-update' ? job.update.byteLength : 0 },
      );
      this.inbox = later;
      await this.handleBatch(now);
    }
  }

  private async handleBatch(jobs: Job[]): Promise<void> {
    // Every job of a batch needs the document (a sync answer is made from it too).
    if (this.dormant) this.wake();
    const toStore: Uint8Array[] = [];
    const afterStore: Array<() => void> = [];
    /** Connections whose updates changed the document in this batch. */
    const writers = new Set<Connection>();
    for (const job of jobs) {
      if (job.kind === 'sync-request') {
        afterStore.push(() => this.answerSyncRequest(job.connection, job.stateVector));
      } else if (job.kind === 'client-update') {
        if (job.connection.isClosed) continue;
        if (!this.options.store.writable && bringsChanges(this.doc, job.update)) {
          refuseForOutage(job.connection);
          continue;
        }
        const applied = this.applyClientUpdate(job.connection, job.update, job.source);
        if (this.halfApplied !== null) {
          this.fail('applying a client update failed halfway', this.halfApplied, jobs);
          return;
        }
        if (!applied) continue;
        writers.add(job.connection);
        toStore.push(applied.forOthers);
        afterStore.push(() => this.broadcast(applied.forOthers, job.connection, applied.forWriter));
      } else if (!this.options.store.writable) {
        job.done(new StoreUnavailableError());
      } else {
        let produced: Uint8Array | null;
        try {
          produced = this.applyServerChange(job.change);
        } catch (error) {
          // What the change did before it threw is in memory, so it is stored like the rest.
          produced = this.takeCaptured();
          const failure = error;
          if (produced) {
            const partial = produced;
            toStore.push(partial);
            afterStore.push(() => this.broadcast(partial, null, null));
          }
          afterStore.push(() => job.done(failure));
          continue;
        }
        if (produced) {
          toStore.push(produced);
          const update = produced;
          afterStore.push(() => this.broadcast(update, null, null));
        }
        afterStore.push(() => job.done());
      }
    }
    // Client ids first used in this batch are stored with it, never after it.
    const owners = this.options.validator?.takeNewClientOwners() ?? [];
    const firstClock = this.nextClock;
    if (toStore.length > 0 || owners.length > 0) {
      this.nextClock += toStore.length;
      let outcome: AppendOutcome;
      try {
        outcome = await this.options.store.append(this.name, { updates: toStore, clientOwners: owners }, firstClock);
      } catch (error) {
        if (this.options.moveReaders) this.failStorage(error, jobs, writers, this.options.moveReaders);
        else this.fail('storing a document update failed', error, jobs);
        return;
      }
      if (!outcome.stored) {
        // Someone else wrote to the log since this room loaded it: memory is not what is stored.
        this.fail('the document log moved on without this room', `expected clock ${firstClock}, the log is at ${outcome.nextClock}`, jobs);
        return;
      }
      this.logEntries += toStore.length;
      this.storedNextClock = firstClock + toStore.length;
    }
    for (const step of afterStore) step();
    // After this room's own sockets were sent the batch, before the participants' work: a cluster's owner writes it to
    // Redis here, and on a busy machine that write can cost the relay its CPU for hundreds of µs (waking Redis), which
    // the sockets here need not wait out; the edges' sockets no longer wait for the rest of the turn either
    // (docs/PERFORMANCE.md, issue 11, session 14).
    if (toStore.length > 0) this.options.onCommitted?.(this.name, firstClock, toStore);
    if (toStore.length > 0) this.participants.afterStore(this.sequencer?.takeNumbered() ?? []);
    // Updates that waited for what this batch brought are tried again (and checked again).
    if (this.waiting) {
      for (const { connection, update, source } of this.waiting.takeReady((clientId) => Y.getState(this.doc.store, clientId))) {
        this.inbox.push({ kind: 'client-update', connection, update, source });
      }
    }
    // Off the room's turn: later batches append with higher clocks while the older log is rewritten.
    const asked = this.compactionAsked && this.logEntries > 1;
    if ((asked || this.logEntries > this.compactThreshold) && !this.compaction) {
      this.compactionAsked = false;
      this.compaction = this.compact().then((compacted) => this.compactionEnded(compacted));
    }
  }

  /**
   * Batches stored while a compaction ran appended entries of their own. A log
   * still past the threshold goes through one more turn of the inbox (an empty
   * server change), whose end starts the next compaction: otherwise a busy
   * moment could leave it long until the next write. Submitted before the
   * compaction's promise settles, so `flushed()` waits for both.
   */
  private compactionEnded(compacted: boolean): void {
    this.compaction = null;
    // After a failed compaction the next write tries again, never a loop of retries.
    if (!compacted || this.failed || this.logEntries <= this.compactThreshold || !this.options.store.writable) return;
    this.serverChange(() => {}).catch(() => {
      // Refused only when the room failed or storage went away: the next write tries again.
    });
  }

  /** Applies an update from a client; returns what to store and send, or null when nothing changed. */
  private applyClientUpdate(
    connection: Connection,
    update: Uint8Array,
    source: UpdateSource,
  ): { forOthers: Uint8Array; forWriter: Uint8Array | null } | null {
    let verdict: UpdateVerdict;
    try {
      verdict = this.options.validator?.check(this.doc, update, connection.identity, source) ?? { accept: update, leftOut: 0 };
    } catch (error) {
      // A bug in a rule must cost this update, never the room or the process.
      this.options.log.error('the update validator failed', { doc: this.name, user: connection.identity.userId, error: String(error) });
      verdict = { rule: 'malformed-update', detail: 'could not be checked' };
    }
    let refusal = 'rule' in verdict ? verdict : null;
    // Healing after data loss: other people's lost structs were left out of this step 2 (update-validator.ts).
    const accepted = 'accept' in verdict ? verdict.accept : update;
    if ('accept' in verdict && verdict.leftOut > 0) {
      this.options.log.info("left out of a sync step 2 what is not the sender's", {
        doc: this.name,
        user: connection.identity.userId,
        parts: verdict.leftOut,
      });
    }
    refusal ??= this.writeBudget?.check(this.doc, accepted, connection.identity.userId) ?? null;
    if (refusal) {
      this.refuseUpdate(connection, refusal);
      return null;
    }
    this.captured = [];
    let applyError: { error: unknown } | null = null;
    let waitsFor: number[] | null = null;
    let numberedWithin = false;
    this.doc.transact((transaction) => {
      const serverClock = Y.getState(this.doc.store, this.doc.clientID);
      try {
        // The validator's decoder: the same document, its short strings read without lib0's view and TextDecoder call.
        applyUpdate(this.doc, accepted, connection);
      } catch (error) {
        applyError = { error };
        return;
      }
      // Only what integrated binds a client id: a pending struct under a fresh id binds nothing.
      this.options.validator?.bindIntegrated(this.doc);
      waitsFor = takePendingStructs(this.doc);
      // `applyUpdate` marks the transaction remote, and Yjs gives the document a new client id after a remote
      // transaction that wrote under its own. So the server writes in it only when the client wrote nothing under
      // the server's id (else Yjs moves away from a taken id, and numbering waits for a server change of its own).
      if (Y.getState(this.doc.store, this.doc.clientID) !== serverClock) return;
      transaction.local = true;
      // The new messages are numbered in this same transaction: one update, no merge (Sequencer.numberWithin).
      numberedWithin = this.sequencer?.numberWithin(transaction) ?? false;
    }, connection);
    if (applyError !== null) {
      const { error } = applyError;
      const changed = this.takeCaptured() !== null || takePendingStructs(this.doc) !== null;
      this.refuseUpdate(connection, { rule: 'malformed-update', detail: String(error) });
      // Nothing may be stored or sent from a half-applied update: the room reloads from disk.
      if (changed) this.halfApplied = error;
      return null;
    }
    if (waitsFor) {
      this.waiting ??= new WaitingUpdates();
      if (!this.waiting.park(connection, accepted, source, waitsFor, (clientId) => Y.getState(this.doc.store, clientId))) {
        this.refuseUpdate(connection, { rule: 'too-many-waiting', detail: 'too many updates wait for missing predecessors' });
      }
    }
    const fromClient = this.takeCaptured();
    // What could not be numbered inside (the update brought numbers back, which are judged first) is numbered in a server change.
    this.participants.beforeStore();
    const fromServer = this.takeCaptured();
    if (!fromClient && !fromServer) return null;
    if (numberedWithin && fromClient) {
      // Everyone, the writer too, gets the one update: the writer needs the numbers in it, and Yjs skips the structs it has.
      const forAll = fromServer ? Y.mergeUpdates([fromClient, fromServer]) : fromClient;
      this.writeBudget?.record(connection.identity.userId, Math.min(accepted.byteLength, fromClient.byteLength), forAll.byteLength);
      return { forOthers: forAll, forWriter: forAll };
    }
    // Others get one frame with the message and its number; the writer only needs the number.
    const forOthers = fromClient && fromServer ? Y.mergeUpdates([fromClient, fromServer]) : ((fromClient ?? fromServer) as Uint8Array);
    this.writeBudget?.record(connection.identity.userId, fromClient?.byteLength ?? 0, forOthers.byteLength);
    return { forOthers, forWriter: fromServer };
  }

  private applyServerChange(change: (doc: Y.Doc) => void): Uint8Array | null {
    this.captured = [];
    this.doc.transact(() => change(this.doc), SERVER_ORIGIN);
    this.participants.beforeStore();
    return this.takeCaptured();
  }

  private answerSyncRequest(connection: Connection, stateVector: Uint8Array): void {
    if (connection.isClosed) return;
    // A sleeping room's first answer makes them from its kept bytes (whose size they take); an awake room has its own.
    this.syncAnswers ??= new SyncAnswers(this.dormant ?? this.doc, 0);
    if (!this.syncAnswers.answer(connection, stateVector)) this.refuseFrame(connection, 'malformed state vector');
  }

  private takeCaptured(): Uint8Array | null {
    const updates = this.captured;
    this.captured = [];
    if (updates.length === 0) return null;
    return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
  }

  /** Sends a stored update to everyone but `writer`, who gets `forWriter` instead (if any; the same frame when it is the same update). */
  private broadcast(update: Uint8Array, writer: Connection | null, forWriter: Uint8Array | null): void {
    const frame = encodeUpdate(update);
    for (const connection of this.connections) {
      if (connection !== writer) this.sendTo(connection, frame);
    }
    if (writer && forWriter) this.sendTo(writer, forWriter === update ? frame : encodeUpdate(forWriter));
  }

  /**
   * Merges the log written so far into one entry. Every change applied to
   * the document at this point is stored (this runs after a stored batch),
   * and appends made while it runs keep their own, higher clocks.
   */
  private async compact(whole?: Uint8Array): Promise<boolean> {
    const entriesBefore = this.logEntries;
    try {
      const merged = whole ?? Y.encodeStateAsUpdate(this.doc);
      this.writeBudget?.compacted(merged.byteLength);
      await this.options.store.compact(this.name, this.nextClock, merged);
      this.logEntries -= entriesBefore - 1;
      return true;
    } catch (error) {
      // The log is intact (the compaction is one batch); try again after the next write.
      this.options.log.error('compacting a document failed', { doc: this.name, error: String(error) });
      return false;
    }
  }

  /** The room's memory can no longer be trusted to match the disk: close everyone, let the registry reload it. */
  private fail(what: string, error: unknown, jobs: Job[]): void {
    this.failed = true;
    this.options.log.error(what, { doc: this.name, error: String(error) });
    for (const job of [...jobs, ...this.inbox]) {
      if (job.kind === 'server-change') job.done(error);
    }
    this.inbox = [];
    // Clients reconnect to a fresh copy loaded from disk and hand their edits over again.
    for (const connection of this.connections) connection.close(CloseCode.tryAgainLater, 'document reloading');
    this.options.onStorageFailure(this);
  }

  /**
   * A write failed: memory is ahead of the disk by this batch, which nobody
   * has seen yet. Its writers get 4507 (1013 when the store is remote) and keep their changes; everyone else
   * moves to a copy reloaded from disk, with what they sent that was not handled.
   */
  private failStorage(error: unknown, jobs: Job[], writers: Set<Connection>, moveReaders: NonNullable<RoomOptions['moveReaders']>): void {
    this.failed = true;
    this.options.log.error(
      'storing a document update failed; writers get 4507 (1013 from a remote store), readers move to a copy reloaded from disk',
      {
        doc: this.name,
        error: String(error),
      },
    );
    for (const job of [...jobs, ...this.inbox]) {
      if (job.kind === 'server-change') job.done(error);
    }
    const unhandled = [...jobs.filter((job) => job.kind === 'sync-request'), ...this.inbox];
    this.inbox = [];
    for (const writer of writers) refuseForOutage(writer, this.options.store.remote);
    const readers = [...this.connections].filter((connection) => !connection.isClosed);
    this.connections.clear();
    this.successor = moveReaders(this, readers);
    for (const job of unhandled) {
      if (job.kind === 'sync-request') this.receive(job.connection, encodeSyncStep1(job.stateVector));
      else if (job.kind === 'client-update')
        this.receive(job.connection, (job.source === 'sync-step-2' ? encodeSyncStep2 : encodeUpdate)(job.update));
    }
  }

  /** Queues a frame; a connection whose queue (or its person's) would pass its bound is dropped (send-queues.ts). PresenceHost. */
  sendTo(connection: Connection, frame: Uint8Array): void {
    connection.send(frame);
  }

  private refuseFrame(connection: Connection, reason: string): void {
    connection.close(CloseCode.invalidUpdate, reason);
  }

  private refuseUpdate(connection: Connection, refusal: Refusal): void {
    const { code, reason } = refusalClose(refusal.rule);
    this.options.metrics?.refused(refusal.rule);
    connection.close(code, reason);
    this.options.log.warn('refused an update', {
      doc: this.name,
      user: connection.identity.userId,
      rule: refusal.rule,
      detail: refusal.detail,
    });
  }
}
