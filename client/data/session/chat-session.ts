/**
 * A signed-in person's open app state: their own document (the conversation
 * list), the conversations they opened, and what the header needs to know
 * (sync status, pending count). Components read it; it emits 'change', and
 * also 'list' when its list of conversations changed.
 */
import type { Me } from '../../../shared/api.js';
import type { Head } from '../../../shared/heads.js';
import { convDocName, parseDocName, segmentDocName, userDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { conversationsOf, messagesOf, type ConversationSummary, type Message } from '../../../shared/schema.js';
import { observeNumbers } from '../../../shared/seq-index.js';
import { summarizeSync, type SyncSummary } from '../sync/connection-state.js';
import type { DocConnection } from '../sync/doc-connection.js';
import type { OpenDocuments } from '../sync/open-documents.js';
import { storedDocNames } from '../sync/local-data.js';
import { searchDatabaseName } from '../search/search-store.js';
import { newTextMessage, pendingCountOf, type SendResult } from '../messages/new-messages.js';
import type { PendingIndex } from '../messages/pending-index.js';
import { isContaminated, setAsideCounts, type Recovery } from '../refusals/refusal-recovery.js';
import { RefusedConversations } from '../refusals/refused-conversations.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { ConversationSegments, type NewestHint, type OpenSegment } from './conversation-segments.js';
import { SegmentKeep } from './segment-keep.js';
import { HeadsView } from '../messages/heads-view.js';
import { ListSnapshotStore } from '../messages/list-snapshot.js';
import { forgetHeadsStored, headsDatabaseName, SharedHeads } from '../sync/shared-heads.js';

const SESSION_ENDED_REASON = 'session ended';

export class ChatSession extends EventTarget {
  readonly userDoc: DocConnection;
  /** The conversations' heads as this person sees them: per member in `user/<id>`, or shared ones joined with my marks (heads-view.ts). */
  readonly heads: HeadsView;
  /** The list's first screen as last drawn, drawn at the next start before the heads are read (list-snapshot.ts). */
  readonly listSnapshot: ListSnapshotStore;
  private readonly pendingByConversation = new Map<string, number>();
  /** Each open conversation's segments (docs/SEGMENTS.md): its pending count follows all of them (a recovery replaces one). */
  private readonly tracked = new Map<string, ConversationSegments>();
  /** Segment documents whose messages the pending count follows already. */
  private readonly counted = new WeakSet<DocConnection>();
  /** Conversations open only for background sync, with the documents it opened of each (`conv/<id>`, its newest segment), closed again when it is done with them. */
  private readonly background = new Map<string, Set<string>>();
  private readonly refused: RefusedConversations;
  private readonly onChange = () => this.dispatchEvent(new Event('change'));
  /** The list of conversations changed: 'change' for everything, and 'list' for what shows only the list (issue 12). */
  private readonly onListChange = () => {
    this.onChange();
    this.dispatchEvent(new Event('list'));
  };
  private readonly onDocumentsChange = () => {
    this.holdIfSessionEnded();
    this.onChange();
  };
  private readonly onRecoveryChange = () => {
    for (const id of this.tracked.keys()) this.recountPending(id);
    this.onChange();
  };
  /** The session ended: every connection is held until the same person signs in again. */
  private holding = false;
  private resuming = false;
  private ended = false;
  private readonly closers: Array<(deleteLocalData: boolean) => Promise<void> | void> = [];

  constructor(
    readonly me: Me,
    private readonly documents: OpenDocuments,
    private readonly pendingIndex: PendingIndex,
    private readonly isBrowserOnline: () => boolean = () => navigator.onLine,
    private readonly setAside: SetAsideStore = new SetAsideStore(me.id),
    private readonly segmentKeep: SegmentKeep = new SegmentKeep(me.id),
    /**
     * Nobody else and not this person signed in here last: their first sign-in on
     * this device, so `user/<id>` has no local copy and subscribes at once instead
     * of after IndexedDB opened its empty database (issue 12's cold first sign-in).
     */
    { firstOnThisDevice = false }: { firstOnThisDevice?: boolean } = {},
  ) {
    super();
    this.listSnapshot = new ListSnapshotStore(me.id);
    this.refused = new RefusedConversations(me.id, setAside, {
      // The refused replica is the one written into: the newest segment.
      clear: (id) => this.documents.closeAndClear(this.writer(id).name),
      reopen: (id) => this.reopenWriter(id),
    });
    this.refused.addEventListener('change', this.onRecoveryChange);
    documents.addEventListener('change', this.onDocumentsChange);
    this.userDoc = documents.open(userDocName(me.id), { connectAtOnce: firstOnThisDevice });
    // Shared heads ride on the tab's /mux socket; the stock socket per document never has them.
    const mux = documents.mux;
    this.heads = new HeadsView(me.id, this.userDoc, mux ? new SharedHeads(me.id, mux) : null, { noLocalCopy: firstOnThisDevice });
    conversationsOf(this.userDoc.doc).observe(this.onListChange);
    // The list is drawn once its heads are read (HeadsView.loaded): tell it then, even if nothing in it changed.
    void this.heads.whenLoaded().then(() => {
      if (!this.ended) this.onListChange();
    });
    // Conversations left with undelivered or set-aside messages last time: open them so they send.
    const unfinished = new Set([...pendingIndex.conversationIds(), ...this.refused.conversationIds()]);
    for (const id of unfinished) this.openConversation(id);
  }

  /** The conversation list, newest first. */
  conversations(): ConversationSummary[] {
    const list: ConversationSummary[] = [];
    conversationsOf(this.userDoc.doc).forEach((summary) => list.push(summary));
    return list.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  }

  conversation(id: string): ConversationSummary | undefined {
    return conversationsOf(this.userDoc.doc).get(id);
  }

  /** A conversation's `conv/<id>` (meta, segment list) if this device has it open; never opens it. */
  openedConversation(id: string): DocConnection | undefined {
    return this.documents.get(convDocName(id));
  }

  /** The segments of a conversation the person has open (none if not); never opens it. */
  openedSegments(id: string): OpenSegment[] {
    return this.tracked.get(id)?.all() ?? [];
  }

  /** The newest segment of a conversation the person has open (written to, read up to); never opens it. */
  openedWriter(id: string): DocConnection | undefined {
    return this.tracked.get(id)?.writer();
  }

  /**
   * Every document this device has open of each conversation: `conv/<id>` and
   * its segments, the person's and background sync's (docs/SEGMENTS.md). What
   * reads numbers and read markers reads them over all of these; opens none.
   */
  openedDocsByConversation(): Map<string, DocConnection[]> {
    const byId = new Map<string, DocConnection[]>();
    for (const connection of this.documents.all()) {
      const parsed = parseDocName(connection.name);
      if (parsed?.kind !== 'conv') continue;
      const docs = byId.get(parsed.id);
      if (docs) docs.push(connection);
      else byId.set(parsed.id, [connection]);
    }
    return byId;
  }

  /** Ids of the conversations whose documents this device has open (the person's and background sync's). */
  openedConversationIds(): string[] {
    const ids: string[] = [];
    for (const connection of this.documents.all()) {
      const parsed = parseDocName(connection.name);
      if (parsed?.kind === 'conv' && parsed.segment === 0) ids.push(parsed.id);
    }
    return ids;
  }

  /**
   * Opens a conversation's document for background sync (background-sync.ts):
   * it syncs like any other, but is closed again by `releaseBackground` unless
   * the person opened it meanwhile.
   */
  syncInBackground(id: string, segment = 0): DocConnection {
    const name = segment === 0 ? convDocName(id) : segmentDocName(id, segment);
    const existing = this.documents.get(name);
    if (existing) return existing;
    // The person opened the conversation meanwhile: what opens now is theirs, never closed by background sync.
    if (segment > 0 && this.tracked.has(id)) return this.documents.open(name);
    const names = this.background.get(id) ?? new Set<string>();
    names.add(name);
    this.background.set(id, names);
    const connection = this.documents.open(name);
    if (this.holding) connection.hold(CloseCode.unauthenticated, SESSION_ENDED_REASON);
    return connection;
  }

  /** Closes a document background sync opened (keeping its local copy), unless the person opened it since. */
  async releaseBackground(id: string): Promise<void> {
    const names = this.background.get(id);
    if (!names || !this.background.delete(id) || this.ended) return;
    await Promise.all([...names].map((name) => this.documents.close(name)));
  }

  /**
   * Opens (once) a conversation: `conv/<id>` (returned: `meta` and the
   * segment list) and its newest segment (docs/SEGMENTS.md), and starts
   * tracking its pending messages in every segment it opens.
   */
  openConversation(id: string): DocConnection {
    return this.segments(id).root;
  }

  /** A conversation's segments on this device, opening the conversation if it is not. */
  segments(id: string): ConversationSegments {
    const existing = this.tracked.get(id);
    if (existing) return existing;
    // Opened by background sync: the person's now, tracked like any other.
    this.background.delete(id);
    const root = this.segmentDocuments.open(convDocName(id));
    // The list's head names the newest message's segment: it opens now, with `conv/<id>`, not after its list (issue 13).
    const segments = new ConversationSegments(id, root, this.segmentDocuments, this.segmentKeep, newestHintOf(this.heads.head(id)));
    this.tracked.set(id, segments);
    let writer: DocConnection | undefined;
    const follow = () => {
      for (const { connection } of segments.all()) this.countIn(id, connection);
      const now = segments.writer();
      if (now === writer) return;
      writer = now;
      // First: a replica holding a refused change is held for good, not just until the next sign-in.
      this.refused.watch(id, now);
      this.recountPending(id);
    };
    segments.addEventListener('change', follow);
    follow();
    return segments;
  }

  /** Writes a message made elsewhere (a picture, from the picture outbox) the way `send` writes text. */
  writeMessage(conversationId: string, message: Message): void {
    const connection = this.writer(conversationId);
    if (!this.refused.compose(conversationId, message)) messagesOf(connection.doc).set(message.id, message);
  }

  /** A change of mine went into an older segment while it was not synced: the device keeps that segment until it is. */
  changedSegment(conversationId: string, segment: number, connection: DocConnection): void {
    if (segment > 0 && !connection.state.synced) this.segmentKeep.markUnsent(conversationId, segment);
  }

  /** Runs `closer` when the session closes (`deleteLocalData`: on sign-out). For parts made per session, e.g. the picture outbox. */
  onClose(closer: (deleteLocalData: boolean) => Promise<void> | void): void {
    this.closers.push(closer);
  }

  /**
   * The one way a text message is sent: checked with the relay's rules,
   * answering `replyTo` if given, then written (or set aside with the others
   * while the conversation's replica is refused).
   */
  send(conversationId: string, text: string, replyTo?: string): SendResult {
    const result = newTextMessage(this.me.id, text, Date.now(), replyTo);
    if (result.ok) this.writeMessage(conversationId, result.message);
    return result;
  }

  /** Where a conversation the relay refused stands: set-aside messages and the reason; undefined when all is well. */
  recoveryOf(conversationId: string): Recovery | undefined {
    return this.refused.recovery(conversationId);
  }

  /** Sends a failed message again (dropping and resyncing the conversation's replica first if it is refused). */
  retryMessage(conversationId: string, messageId: string): void {
    this.refused.retry(conversationId, messageId);
  }

  /** Gives up a failed message. */
  discardMessage(conversationId: string, messageId: string): void {
    this.refused.discard(conversationId, messageId);
  }

  /** Drops a refused conversation's replica and syncs it afresh, retrying nothing. */
  resyncConversation(conversationId: string): void {
    this.refused.resync(conversationId);
  }

  /** My messages waiting to be sent (failed ones not included). */
  pendingCount(): number {
    let total = 0;
    for (const count of this.pendingByConversation.values()) total += count;
    for (const id of this.refused.conversationIds()) total += setAsideCounts(this.refused.recovery(id)).pending;
    return total;
  }

  /** My messages the relay refused, waiting for the person to retry or discard them. */
  failedCount(): number {
    let total = 0;
    for (const id of this.refused.conversationIds()) total += setAsideCounts(this.refused.recovery(id)).failed;
    return total;
  }

  syncSummary(): SyncSummary {
    const states = this.documents.all().map((connection) => connection.state);
    return summarizeSync(states, {
      browserOnline: this.isBrowserOnline(),
      pending: this.pendingCount(),
      failed: this.failedCount(),
    });
  }

  /** The relay closed a connection with 4401: the person must sign in again. */
  sessionEnded(): boolean {
    return this.documents.all().some((c) => c.state.phase === 'stopped' && c.state.stopCode === CloseCode.unauthenticated);
  }

  /**
   * The server said the session is over (an API call answered 401): hold
   * every connection, so none reconnects with whoever signs in next.
   */
  endSession(): void {
    if (this.holding || this.ended) return;
    this.holding = true;
    this.documents.holdAll(CloseCode.unauthenticated, SESSION_ENDED_REASON);
  }

  /** The person signed in again (same account): reconnect what the relay stopped. */
  resume(): void {
    this.holding = false;
    // While they resume one by one, the ones not resumed yet still say "session ended".
    this.resuming = true;
    try {
      this.documents.resumeAll();
    } finally {
      this.resuming = false;
    }
  }

  /** Leaves the session, keeping local data (the same person may come back). */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    await Promise.all([this.documents.destroy(), ...this.closers.map((closer) => closer(false))]);
  }

  /** Leaves the session and deletes every local document and the pending index. */
  async closeAndDeleteLocalData(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const names = [
      userDocName(this.me.id),
      ...this.conversations().map((c) => convDocName(c.id)),
      ...this.pendingIndex.conversationIds().map(convDocName),
      ...this.refused.conversationIds().map(convDocName),
      ...(await storedDocNames()),
      // The search index, even when search was not opened in this session (so its closer never ran).
      searchDatabaseName(this.me.id),
      headsDatabaseName(this.me.id),
    ];
    this.detach();
    this.pendingIndex.clear();
    this.setAside.clear();
    this.segmentKeep.clear(this.conversations().map((c) => c.id));
    forgetHeadsStored(this.me.id);
    this.listSnapshot.clear();
    await Promise.all([this.documents.destroyAndClear(names), ...this.closers.map((closer) => closer(true))]);
  }

  /**
   * One connection stopped with 4401: the others would each reconnect (and
   * hand over their unsent messages) with whatever cookie the browser holds
   * next, maybe another person's. Hold them all until the same person is back.
   */
  private holdIfSessionEnded(): void {
    if (!this.holding && !this.resuming && !this.ended && this.sessionEnded()) this.endSession();
  }

  /** The open documents as conversation segments see them: held like the rest while the session is. */
  private readonly segmentDocuments = {
    open: (name: string, { neverHeld = false }: { neverHeld?: boolean } = {}) => {
      // Not while the session is held: nothing may subscribe until the person signed in again.
      const connection = this.documents.open(name, { connectAtOnce: neverHeld && !this.holding });
      if (this.holding) connection.hold(CloseCode.unauthenticated, SESSION_ENDED_REASON);
      return connection;
    },
    deleteLocal: (name: string) => this.documents.closeAndClear(name),
  };

  /** The document new messages of a conversation go into: its newest segment. */
  private writer(id: string): DocConnection {
    return this.segments(id).writer();
  }

  /** A refused replica was dropped: opens the fresh one in its place. */
  private reopenWriter(id: string): void {
    const segments = this.tracked.get(id);
    const newest = segments?.newest ?? 0;
    const name = segmentDocName(id, newest);
    this.documents.forget(name);
    if (!segments || newest === 0) {
      // Segment 0 is `conv/<id>` itself: the conversation opens again from nothing.
      segments?.close();
      this.tracked.delete(id);
      this.openConversation(id);
      return;
    }
    segments.reopen(newest, this.segmentDocuments.open(name));
  }

  /** Follows the messages of one segment document for the pending count (once per document). */
  private countIn(id: string, connection: DocConnection): void {
    if (this.counted.has(connection)) return;
    this.counted.add(connection);
    // A segment opened: what follows the session's conversations (search) follows it too.
    this.onChange();
    const recount = () => this.recountPending(id);
    messagesOf(connection.doc).observe(recount);
    observeNumbers(connection.doc, recount);
    void connection.whenLocalLoaded.then(recount);
  }

  private recountPending(id: string): void {
    const segments = this.tracked.get(id);
    if (this.ended || !segments) return;
    let count = 0;
    // A replica holding a refused change counts nothing: its messages of mine are set aside.
    if (!isContaminated(this.refused.recovery(id))) {
      for (const { connection } of segments.all()) count += pendingCountOf(connection.doc, this.me.id);
    }
    const before = this.pendingByConversation.get(id) ?? 0;
    this.pendingByConversation.set(id, count);
    // Until the local copies are loaded, "0 pending" means "not known yet".
    if (segments.root.state.localLoaded && segments.writer().state.localLoaded) this.pendingIndex.set(id, count > 0);
    if (count !== before) this.onChange();
  }

  private detach(): void {
    for (const segments of this.tracked.values()) segments.close();
    this.refused.close();
    this.refused.removeEventListener('change', this.onRecoveryChange);
    this.documents.removeEventListener('change', this.onDocumentsChange);
    conversationsOf(this.userDoc.doc).unobserve(this.onListChange);
    this.heads.close();
  }
}

/** The list's head names the newest message's segment and number: that segment opens at once, with `conv/<id>` (issue 13). */
function newestHintOf(head: Head | undefined): NewestHint | null {
  const segment = head?.segment;
  if (!head || typeof segment !== 'number' || !Number.isSafeInteger(segment) || segment <= 0) return null;
  return { segment, seq: head.seq };
}
