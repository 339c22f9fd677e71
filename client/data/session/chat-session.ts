/**
 * A signed-in person's open app state: their own document (the conversation
 * list), the conversations they opened, and what the header needs to know
 * (sync status, pending count). Components read it; it emits 'change'.
 */
import type { Me } from '../../../shared/api.js';
import { convDocName, userDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { conversationsOf, messagesOf, seqOf, type ConversationSummary, type Message } from '../../../shared/schema.js';
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

const SESSION_ENDED_REASON = 'session ended';

export class ChatSession extends EventTarget {
  readonly userDoc: DocConnection;
  private readonly pendingByConversation = new Map<string, number>();
  /** The replica each open conversation's pending count follows (a recovery replaces it). */
  private readonly tracked = new Map<string, DocConnection>();
  private readonly refused: RefusedConversations;
  private readonly onChange = () => this.dispatchEvent(new Event('change'));
  private readonly onDocumentsChange = () => {
    this.holdIfSessionEnded();
    this.onChange();
  };
  private readonly onRecoveryChange = () => {
    for (const [id, connection] of this.tracked) this.recountPending(id, connection);
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
  ) {
    super();
    this.refused = new RefusedConversations(me.id, setAside, {
      clear: (id) => this.documents.closeAndClear(convDocName(id)),
      reopen: (id) => {
        this.documents.forget(convDocName(id));
        this.openConversation(id);
      },
    });
    this.refused.addEventListener('change', this.onRecoveryChange);
    documents.addEventListener('change', this.onDocumentsChange);
    this.userDoc = documents.open(userDocName(me.id));
    conversationsOf(this.userDoc.doc).observe(this.onChange);
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

  /** A conversation's document if this device has it open; never opens it. */
  openedConversation(id: string): DocConnection | undefined {
    return this.documents.get(convDocName(id));
  }

  /** Opens (once) a conversation's document and starts tracking its pending messages. */
  openConversation(id: string): DocConnection {
    const name = convDocName(id);
    const existing = this.documents.get(name);
    if (existing) return existing;
    const connection = this.documents.open(name);
    this.tracked.set(id, connection);
    const recount = () => this.recountPending(id, connection);
    messagesOf(connection.doc).observe(recount);
    seqOf(connection.doc).observe(recount);
    void connection.whenLocalLoaded.then(recount);
    // First: a replica holding a refused change is held for good, not just until the next sign-in.
    this.refused.watch(id, connection);
    if (this.holding) connection.hold(CloseCode.unauthenticated, SESSION_ENDED_REASON);
    return connection;
  }

  /** Writes a message made elsewhere (a picture, from the picture outbox) the way `send` writes text. */
  writeMessage(conversationId: string, message: Message): void {
    const connection = this.openConversation(conversationId);
    if (!this.refused.compose(conversationId, message)) messagesOf(connection.doc).set(message.id, message);
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
    ];
    this.detach();
    this.pendingIndex.clear();
    this.setAside.clear();
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

  private recountPending(id: string, connection: DocConnection): void {
    if (this.ended || this.tracked.get(id) !== connection) return;
    // A replica holding a refused change counts nothing: its messages of mine are set aside.
    const count = isContaminated(this.refused.recovery(id)) ? 0 : pendingCountOf(connection.doc, this.me.id);
    const before = this.pendingByConversation.get(id) ?? 0;
    this.pendingByConversation.set(id, count);
    // Until the local copy is loaded, "0 pending" means "not known yet".
    if (connection.state.localLoaded) this.pendingIndex.set(id, count > 0);
    if (count !== before) this.onChange();
  }

  private detach(): void {
    this.refused.close();
    this.refused.removeEventListener('change', this.onRecoveryChange);
    this.documents.removeEventListener('change', this.onDocumentsChange);
    conversationsOf(this.userDoc.doc).unobserve(this.onChange);
  }
}
