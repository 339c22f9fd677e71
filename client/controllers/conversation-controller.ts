/**
 * Brings one conversation into a component: its messages in display order
 * (with the ones set aside after a refusal and the pictures still waiting to
 * upload), reactions, read receipts, members, and its connection state. A
 * conversation is history segments (docs/SEGMENTS.md): `meta` comes from
 * `conv/<id>`, messages, reactions and read markers from the segments the
 * list shows, merged (`segment-run.ts`). The host renders from here and
 * never touches Yjs itself.
 */
import type { ReactiveControllerHost } from 'lit';
import { compareOrdered, orderedMessages } from '../../shared/message-order.js';
import { CloseCode } from '../../shared/protocol.js';
import { authorsOf, messagesOf, metaOf, reactionsOf, readsOf, seqOf, type ConversationKind, type MemberInfo } from '../../shared/schema.js';
import { numbersOf } from '../../shared/seq-index.js';
import type { ChatSession } from '../data/session/chat-session.js';
import type { ConversationSegments, OpenSegment } from '../data/session/conversation-segments.js';
import { mergeSegments, type SegmentMessage } from '../data/messages/segment-run.js';
import type { DocConnection } from '../data/sync/doc-connection.js';
import type { PictureOutbox } from '../data/pictures/picture-outbox.js';
import { reactionsByMessage, type ReactionSummary } from '../data/messages/reactions.js';
import { withSetAside, type DisplayedMessage } from '../data/messages/displayed-messages.js';
import { acceptsWrites, type Recovery } from '../data/refusals/refusal-recovery.js';
import { highestSequence, readMarker, readMarkers, readReceipt, type ReadReceipt } from '../data/messages/unread.js';
import { FollowingController } from './following-controller.js';

/** A message as the list shows it; `upload` is set for a picture of mine still on its way. */
export interface ListedMessage extends DisplayedMessage {
  upload?: { previewUrl: string | undefined; progress: number | undefined };
}

/** Whether two runs of shown segments are the same segments with the same documents. */
function sameSegments(a: readonly OpenSegment[], b: readonly OpenSegment[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.segment === b[i]?.segment && entry.connection === b[i]?.connection);
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

export class ConversationController extends FollowingController<ConversationSegments> {
  private outbox: PictureOutbox | undefined;
  private outboxSession: ChatSession | undefined;
  private cachedMessages: SegmentMessage[] | undefined;
  private displayed: { from: SegmentMessage[]; recovery: Recovery | undefined; pictures: number; messages: ListedMessage[] } | undefined;
  /** Segment documents followed now, each with what undoes it. */
  private readonly followedSegments = new Map<DocConnection, () => void>();
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
  /**
   * The segments shown when the merged list was last made: a segment change
   * that leaves them as they were (a connection's state moving: loaded,
   * connecting, synced) keeps the list, so the message list does not render
   * every message again for it (several times per older segment opened).
   */
  private mergedFrom: OpenSegment[] | undefined;
  /** A segment opened, became loaded, or the newest moved: what the list shows may be more. */
  private readonly onSegmentsChange = () => {
    if (this.source) this.followShown(this.source);
    const shown = this.shown();
    if (!this.mergedFrom || !sameSegments(this.mergedFrom, shown)) {
      this.sourceChanged();
      this.mergedFrom = shown;
    }
    this.host.requestUpdate();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    super(host);
    host.addController(this);
  }

  /** The open conversation's `conv/<id>` (`meta`, segment list), or undefined when none is selected. */
  get connection(): DocConnection | undefined {
    return this.source?.root;
  }

  /** Its newest segment: where new messages, read markers and presence go. */
  writer(): DocConnection | undefined {
    return this.source?.writer();
  }

  /** The document holding a message the list shows (edits, deletes and reactions go there), and its segment. */
  holderOf(messageId: string): OpenSegment | undefined {
    const segment = this.merged().find((entry) => entry.message.id === messageId)?.segment;
    const connection = segment === undefined ? undefined : this.source?.connectionOf(segment);
    return segment === undefined || !connection ? undefined : { segment, connection };
  }

  /** The highest number over the segments shown: how far "read everything" reaches. */
  highestShown(): number {
    return Math.max(0, ...this.shown().map(({ connection }) => highestSequence(connection.doc)));
  }

  /** Older history exists than the list has: the person may scroll to it. */
  hasOlder(): boolean {
    return this.source?.hasOlder() ?? false;
  }

  /** The first number of the oldest segment shown (1 when the list reaches the beginning): older numbers are in segments not opened yet. */
  firstShownSeq(): number {
    return this.source?.firstShownSeq() ?? 1;
  }

  /** The person scrolled past the oldest message shown: the segment before it opens (it shows once loaded). */
  loadOlder(): void {
    this.source?.openOlder();
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
    if (!this.source) return [];
    const ordered = this.merged();
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
    if (!this.source) return new Map();
    if (this.cachedReactions) return this.cachedReactions;
    // A reaction's key names its message, which is in one segment: the maps do not overlap.
    const merged = new Map<string, ReactionSummary[]>();
    for (const { connection } of this.shown()) {
      for (const [id, summaries] of reactionsByMessage(connection.doc)) merged.set(id, [...(merged.get(id) ?? []), ...summaries]);
    }
    return (this.cachedReactions = merged);
  }

  /** Which of my messages shows "read" (direct) or "read by N" (group), if any. */
  receipt(meId: string): ReadReceipt | null {
    if (!this.source) return null;
    const messages = this.messages();
    if (this.cachedReceipt?.from !== messages) {
      const kind = this.kind() === 'group' ? 'group' : 'direct';
      const candidates = messages.map((entry) => ({ id: entry.message.id, author: entry.message.author, seq: entry.seq }));
      this.cachedReceipt = { from: messages, receipt: readReceipt(candidates, this.markers(), meId, kind) };
    }
    return this.cachedReceipt.receipt;
  }

  /**
   * How far I have read: the replica's marker, or the server's (my head in
   * the user document) when that is further, as before the replica has
   * synced or after reading on another device.
   */
  readUpTo(meId: string): number {
    if (!this.source) return 0;
    const { session, conversationId } = this.target();
    const head = session && conversationId ? session.heads.head(conversationId) : undefined;
    // One marker per member for the conversation, written to the newest segment: the highest over the segments counts.
    const marked = Math.max(0, ...this.shown().map(({ connection }) => readMarker(connection.doc, meId)));
    return Math.max(marked, head?.readSeq ?? 0);
  }

  /** The shown segments' messages as one list, each with its segment. */
  private merged(): SegmentMessage[] {
    this.cachedMessages ??= mergeSegments(
      this.shown().map(({ segment, connection }) => ({ segment, messages: orderedMessages(connection.doc) })),
    );
    return this.cachedMessages;
  }

  /** Every member's read marker: the highest over the segments shown. */
  private markers(): Map<string, number> {
    const merged = new Map<string, number>();
    for (const { connection } of this.shown()) {
      for (const [userId, number] of readMarkers(connection.doc)) merged.set(userId, Math.max(number, merged.get(userId) ?? 0));
    }
    return merged;
  }

  /** The segments the list shows; the newest alone until it is loaded (a fresh device). */
  private shown(): OpenSegment[] {
    const source = this.source;
    if (!source) return [];
    const shown = source.shown();
    return shown.length > 0 ? shown : [{ segment: source.newest, connection: source.writer() }];
  }

  /** Where this conversation stands after the relay refused its replica, if it did. */
  recovery(): Recovery | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.recoveryOf(conversationId) : undefined;
  }

  /** Whether this device may write into the conversation now: its replica not refused, the relay not refusing me. */
  writable(): boolean {
    const connection = this.writer();
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

  protected resolve(): ConversationSegments | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.segments(conversationId) : undefined;
  }

  /** The parts of a segment document followed, each with its handler: one list, so detach undoes exactly what attach did. */
  private followed(connection: DocConnection): Array<[Observed, () => void]> {
    const doc = connection.doc;
    return [
      [messagesOf(doc), this.onDocChange],
      [seqOf(doc), this.onDocChange],
      [numbersOf(doc), this.onDocChange],
      [metaOf(doc), this.onDocChange],
      [readsOf(doc), this.onReadsChange],
      [reactionsOf(doc), this.onReactionsChange],
    ];
  }

  protected attach(segments: ConversationSegments): void {
    segments.addEventListener('change', this.onSegmentsChange);
    this.followShown(segments);
  }

  protected detach(segments: ConversationSegments): void {
    segments.removeEventListener('change', this.onSegmentsChange);
    for (const undo of this.followedSegments.values()) undo();
    this.followedSegments.clear();
  }

  /** Follows `conv/<id>` (meta, state) and every open segment document, once each. */
  private followShown(segments: ConversationSegments): void {
    for (const { connection } of segments.all()) {
      if (this.followedSegments.has(connection)) continue;
      const parts = this.followed(connection);
      for (const [part, handler] of parts) part.observe(handler);
      connection.addEventListener('change', this.onConnectionChange);
      this.followedSegments.set(connection, () => {
        for (const [part, handler] of parts) part.unobserve(handler);
        connection.removeEventListener('change', this.onConnectionChange);
      });
    }
  }

  protected override sourceChanged(): void {
    this.mergedFrom = undefined;
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
