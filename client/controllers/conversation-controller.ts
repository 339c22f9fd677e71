/**
 * Brings one conversation document into a component: its messages in display
 * order (with the ones set aside after a refusal and the pictures still
 * waiting to upload), reactions, read receipts, members, and its connection
 * state. The host renders from here and never touches Yjs itself.
 */
import type { ReactiveControllerHost } from 'lit';
import { compareOrdered, orderedMessages, type OrderedMessage } from '../../shared/message-order.js';
import { CloseCode } from '../../shared/protocol.js';
import { isHead } from '../../shared/heads.js';
import {
  authorsOf,
  headsOf,
  messagesOf,
  metaOf,
  reactionsOf,
  readsOf,
  seqOf,
  type ConversationKind,
  type MemberInfo,
} from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import type { DocConnection } from '../data/sync/doc-connection.js';
import type { PictureOutbox } from '../data/pictures/picture-outbox.js';
import { reactionsByMessage, type ReactionSummary } from '../data/messages/reactions.js';
import { withSetAside, type DisplayedMessage } from '../data/messages/displayed-messages.js';
import { acceptsWrites, type Recovery } from '../data/refusals/refusal-recovery.js';
import { readMarker, readMarkers, readReceipt, type ReadReceipt } from '../data/messages/unread.js';
import { FollowingController } from './following-controller.js';

/** A message as the list shows it; `upload` is set for a picture of mine still on its way. */
export interface ListedMessage extends DisplayedMessage {
  upload?: { previewUrl: string | undefined; progress: number | undefined };
}

/** The picture machinery is not needed for the first paint: it loads right after. */
let pictureModule: Promise<typeof import('../data/pictures/session-pictures.js')> | undefined;
function loadPictureModule() {
  pictureModule ??= import('../data/pictures/session-pictures.js');
  return pictureModule;
}

interface Target {
  session: ChatSession | undefined;
  conversationId: string | undefined;
}

/** A shared type of the document, as far as following its changes goes. */
interface Observed {
  observe(handler: () => void): void;
  unobserve(handler: () => void): void;
}

export class ConversationController extends FollowingController<DocConnection> {
  private outbox: PictureOutbox | undefined;
  private outboxSession: ChatSession | undefined;
  private cachedMessages: OrderedMessage[] | undefined;
  private displayed: { from: OrderedMessage[]; recovery: Recovery | undefined; pictures: number; messages: ListedMessage[] } | undefined;
  private cachedReactions: Map<string, ReactionSummary[]> | undefined;
  private cachedReceipt: { from: ListedMessage[]; receipt: ReadReceipt | null } | undefined;
  /** Bumped when the outbox changes, so the merged list is rebuilt. */
  private picturesVersion = 0;
  private readonly onDocChange = () => {
    this.cachedMessages = undefined;
    this.cachedReceipt = undefined;
    this.host.requestUpdate();
  };
  private readonly onReactionsChange = () => {
    this.cachedReactions = undefined;
    this.host.requestUpdate();
  };
  private readonly onReadsChange = () => {
    this.cachedReceipt = undefined;
    this.host.requestUpdate();
  };
  private readonly onOutboxChange = () => {
    this.picturesVersion++;
    this.host.requestUpdate();
  };
  private readonly onConnectionChange = () => this.host.requestUpdate();

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    super(host);
    host.addController(this);
  }

  /** The open conversation, or undefined when none is selected. */
  get connection(): DocConnection | undefined {
    return this.source;
  }

  override hostConnected(): void {
    super.hostConnected();
    this.followPictures(this.target().session);
  }

  override hostUpdate(): void {
    super.hostUpdate();
    this.followPictures(this.target().session);
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    this.setOutbox(undefined);
    this.outboxSession = undefined;
  }

  messages(): ListedMessage[] {
    if (!this.connection) return [];
    const ordered = (this.cachedMessages ??= orderedMessages(this.connection.doc));
    const recovery = this.recovery();
    // Recoveries are immutable values: the same object means nothing changed.
    const current = this.displayed;
    if (current?.from !== ordered || current.recovery !== recovery || current.pictures !== this.picturesVersion) {
      const messages = this.withPictures(withSetAside(ordered, recovery));
      this.displayed = { from: ordered, recovery, pictures: this.picturesVersion, messages };
    }
    return this.displayed?.messages ?? [];
  }

  /** Reactions by message id. */
  reactions(): Map<string, ReactionSummary[]> {
    if (!this.connection) return new Map();
    return (this.cachedReactions ??= reactionsByMessage(this.connection.doc));
  }

  /** Which of my messages shows "read" (direct) or "read by N" (group), if any. */
  receipt(meId: string): ReadReceipt | null {
    const connection = this.connection;
    if (!connection) return null;
    const messages = this.messages();
    if (this.cachedReceipt?.from !== messages) {
      const kind = this.kind() === 'group' ? 'group' : 'direct';
      const candidates = messages.map((entry) => ({ id: entry.message.id, author: entry.message.author, seq: entry.seq }));
      this.cachedReceipt = { from: messages, receipt: readReceipt(candidates, readMarkers(connection.doc), meId, kind) };
    }
    return this.cachedReceipt.receipt;
  }

  /**
   * How far I have read: the replica's marker, or the server's (my head in
   * the user document) when that is further, as before the replica has
   * synced or after reading on another device.
   */
  readUpTo(meId: string): number {
    const connection = this.connection;
    if (!connection) return 0;
    const { session, conversationId } = this.target();
    const head: unknown = session && conversationId ? headsOf(session.userDoc.doc).get(conversationId) : undefined;
    return Math.max(readMarker(connection.doc, meId), isHead(head) ? head.readSeq : 0);
  }

  /** Where this conversation stands after the relay refused its replica, if it did. */
  recovery(): Recovery | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.recoveryOf(conversationId) : undefined;
  }

  /** Whether this device may write into the conversation now: its replica not refused, the relay not refusing me. */
  writable(): boolean {
    const connection = this.connection;
    if (!connection || !acceptsWrites(this.recovery())) return false;
    return !(connection.state.phase === 'stopped' && connection.state.stopCode === CloseCode.forbidden);
  }

  /** The title written in the conversation itself (a group's name), if any. */
  writtenTitle(): string | undefined {
    const title = this.connection ? metaOf(this.connection.doc).get('title') : undefined;
    return typeof title === 'string' && title ? title : undefined;
  }

  /** Members and former members (issue 15): a removed member's messages keep their name. */
  members(): Record<string, MemberInfo> {
    return this.connection ? authorsOf(this.connection.doc) : {};
  }

  kind(): ConversationKind | undefined {
    const { session, conversationId } = this.target();
    const listed = conversationId ? session?.conversation(conversationId)?.kind : undefined;
    const written = this.connection ? metaOf(this.connection.doc).get('kind') : undefined;
    return listed ?? (typeof written === 'string' ? (written as ConversationKind) : undefined);
  }

  /** The local copy of a picture of mine sent from this device, so the list need not fetch it. */
  previewOf(messageId: string): string | undefined {
    return this.outbox?.previewOf(messageId);
  }

  /** The session's picture outbox, once loaded. */
  pictures(): PictureOutbox | undefined {
    return this.outbox;
  }

  /** The session's picture outbox, loading it if needed. */
  async loadPictures(): Promise<PictureOutbox | undefined> {
    const session = this.target().session;
    if (!session) return undefined;
    return (await loadPictureModule()).picturesOf(session);
  }

  private withPictures(messages: DisplayedMessage[]): ListedMessage[] {
    const { conversationId } = this.target();
    const waiting = conversationId ? (this.outbox?.pendingIn(conversationId) ?? []) : [];
    if (waiting.length === 0) return messages;
    const present = new Set(messages.map((entry) => entry.message.id));
    const merged: ListedMessage[] = [...messages];
    for (const picture of waiting) {
      // Written already, the record is about to go: the document's message wins.
      if (present.has(picture.message.id)) continue;
      merged.push({
        message: picture.message,
        seq: undefined,
        state: picture.failure ? 'failed' : 'pending',
        ...(picture.failure ? { failure: { reason: picture.failure, retryable: false } } : {}),
        upload: { previewUrl: picture.previewUrl, progress: picture.progress },
      });
    }
    return merged.sort(compareOrdered as (a: ListedMessage, b: ListedMessage) => number);
  }

  protected resolve(): DocConnection | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.openConversation(conversationId) : undefined;
  }

  /** The parts of the document followed, each with its handler: one list, so detach undoes exactly what attach did. */
  private followed(connection: DocConnection): Array<[Observed, () => void]> {
    const doc = connection.doc;
    return [
      [messagesOf(doc), this.onDocChange],
      [seqOf(doc), this.onDocChange],
      [metaOf(doc), this.onDocChange],
      [readsOf(doc), this.onReadsChange],
      [reactionsOf(doc), this.onReactionsChange],
    ];
  }

  protected attach(connection: DocConnection): void {
    for (const [part, handler] of this.followed(connection)) part.observe(handler);
    connection.addEventListener('change', this.onConnectionChange);
  }

  protected detach(connection: DocConnection): void {
    for (const [part, handler] of this.followed(connection)) part.unobserve(handler);
    connection.removeEventListener('change', this.onConnectionChange);
  }

  protected override sourceChanged(): void {
    this.cachedMessages = undefined;
    this.cachedReactions = undefined;
    this.cachedReceipt = undefined;
  }

  /** Starts the session's picture outbox (it resumes uploads left from last time) and follows it. */
  private followPictures(session: ChatSession | undefined): void {
    if (this.outboxSession === session) return;
    this.outboxSession = session;
    this.setOutbox(undefined);
    if (!session) return;
    void loadPictureModule().then(
      ({ picturesOf }) => {
        if (this.hostIsConnected && this.outboxSession === session) this.setOutbox(picturesOf(session));
      },
      (error: unknown) => console.error('Could not load the picture outbox', error),
    );
  }

  private setOutbox(outbox: PictureOutbox | undefined): void {
    if (outbox === this.outbox) return;
    this.outbox?.removeEventListener('change', this.onOutboxChange);
    this.outbox = outbox;
    outbox?.addEventListener('change', this.onOutboxChange);
    this.onOutboxChange();
  }
}
