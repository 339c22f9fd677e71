/**
 * The visitor's one conversation, read the way the app reads it: in history
 * segments (docs/SEGMENTS.md). `conv/<id>` holds `meta` and the segment
 * list; `ConversationSegments` (the app's, client/data/session/) follows the
 * list to the newest segment and opens older ones when the visitor scrolls
 * back; each document is a `VisitorDocument` with a ticketed socket of its
 * own (visitor-document.ts). New messages and read markers go to the newest
 * segment; the list shows the run of segments `segment-run.ts` merges.
 */
import type * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { orderedMessages, type OrderedMessage } from '../../shared/message-order.js';
import { clampMessageTime } from '../../shared/message-rules.js';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, readsOf, type Attachment, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { ownRunEnd, readMarker, readMarkerAcross, unreadCountAcross } from '../../shared/unread.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { newTextMessage, pendingCountOf, type SendResult } from '../data/messages/new-messages.js';
import { mergeSegments } from '../data/messages/segment-run.js';
import { highestSequence } from '../data/messages/unread.js';
import { ConversationSegments, type OpenSegment } from '../data/session/conversation-segments.js';
import { SegmentKeep } from '../data/session/segment-keep.js';
import { deleteDatabase, storedDocNames } from '../data/sync/local-data.js';
import { type SyncStatus, VisitorDocument, type VisitorDocumentOptions } from './visitor-document.js';

export type { NetworkSignals, SyncStatus } from './visitor-document.js';

export interface VisitorConversationOptions extends VisitorDocumentOptions {
  /**
   * Where the device keeps which older segments it opened (segment-keep.ts).
   * Without it, `localStorage` (or memory where there is none, in Node): a
   * frame refused storage must pass memory, as reading `localStorage` throws there.
   */
  keepStorage?: KeyValueStorage;
}

/** The worse of two statuses, as the header shows one for the conversation. */
const STATUS_RANK: Record<SyncStatus, number> = { online: 0, connecting: 1, offline: 2, stopped: 3 };

export class VisitorConversation extends EventTarget {
  /** `conv/<id>`: `meta` (the names of the site's people), the segment list, and segment 0. */
  readonly root: VisitorDocument;
  private readonly segments: ConversationSegments<VisitorDocument>;
  /**
   * The highest number shown when the newest segment first synced: messages of
   * the site's people numbered after it are news for the host page. Numbers are
   * one order across segments, so an older segment opened later adds none.
   */
  private announcedUpTo: number | null = null;
  private destroyed = false;

  constructor(
    readonly conversationId: string,
    readonly guestId: string,
    private readonly options: VisitorConversationOptions,
  ) {
    super();
    this.root = new VisitorDocument(convDocName(conversationId), options);
    this.segments = new ConversationSegments(
      conversationId,
      this.root,
      {
        open: (name) => new VisitorDocument(name, options),
        deleteLocal: (name) => (options.persist === false ? Promise.resolve() : deleteDatabase(name)),
      },
      new SegmentKeep(guestId, options.keepStorage),
    );
    this.segments.addEventListener('change', this.onChange);
  }

  /** `conv/<id>`'s document: `meta`. */
  get doc() {
    return this.root.doc;
  }

  /** Resolves once `conv/<id>`'s local copy is read. */
  get whenLocalLoaded(): Promise<void> {
    return this.root.whenLocalLoaded;
  }

  /** One status for the conversation: the worse of `conv/<id>` and the newest segment. */
  get status(): SyncStatus {
    const [a, b] = [this.root.status, this.segments.writer().status];
    return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
  }

  /** Why the relay stopped a document of this conversation for good (4403 blocked, 4400 refused), while `status` is 'stopped'. */
  get stopped(): { code: number; reason: string } | null {
    for (const { connection } of this.segments.all()) if (connection.stopped) return connection.stopped;
    return null;
  }

  /** The shown segments' messages as one list, in the shared order. */
  messages(): OrderedMessage[] {
    return mergeSegments(this.shown().map(({ segment, connection }) => ({ segment, messages: orderedMessages(connection.doc) })));
  }

  /** Whether history older than what is shown exists (the visitor may scroll back to it). */
  hasOlder(): boolean {
    return this.segments.hasOlder();
  }

  /** The visitor scrolled past the oldest shown message: opens the segment before it. */
  openOlder(): void {
    this.segments.openOlder();
  }

  /** Writes a text message locally into the newest segment; it goes out now or when the network returns. */
  send(text: string): SendResult {
    const result = newTextMessage(this.guestId, text);
    if (result.ok) this.write(result.message);
    return result;
  }

  /** Writes a picture message for a picture already uploaded (visitor-api.ts `uploadPicture`). */
  sendPicture(attachment: Attachment): void {
    this.write(this.attachmentMessage('image', attachment));
  }

  /** Writes a file or voice message for bytes already uploaded (visitor-api.ts `uploadFile`). */
  sendFile(kind: 'file' | 'voice', attachment: Attachment): void {
    this.write(this.attachmentMessage(kind, attachment));
  }

  /** My messages the server has not numbered yet, in any open segment. */
  unsentMessages(): Message[] {
    const unsent: Message[] = [];
    for (const { connection } of this.segments.all()) {
      const seq = seqIndexOf(connection.doc);
      messagesOf(connection.doc).forEach((message, id) => {
        if (message.author === this.guestId && !seq.has(id)) unsent.push(message);
      });
    }
    return unsent;
  }

  /** Writes messages again under their own ids, one change each (after a resync from scratch). */
  writeAgain(messages: readonly Message[]): void {
    for (const message of messages) this.write(message);
  }

  pendingCount(): number {
    return this.segments.all().reduce((sum, { connection }) => sum + pendingCountOf(connection.doc, this.guestId), 0);
  }

  /**
   * Unread over the shown segments, plus the numbers after my marker that no
   * shown segment holds (older segments this device has not opened, late
   * messages numbered there included: counted as unread, as most of them are
   * the site's answers; my own are behind my marker, see `readOwn`).
   */
  unreadCount(): number {
    const shown = this.shownDocs();
    const read = readMarkerAcross(shown, this.guestId);
    const highest = Math.max(0, ...shown.map(highestSequence));
    const found = new Set<number>();
    for (const doc of shown) {
      const seq = seqIndexOf(doc);
      // Only messages it holds: the newest segment's index also numbers late messages kept in older ones (docs/SEGMENTS.md).
      for (const id of messagesOf(doc).keys()) {
        const number = seq.get(id);
        if (number !== undefined && number > read) found.add(number);
      }
    }
    const unopened = Math.max(0, highest - read - found.size);
    return unreadCountAcross(shown, this.guestId) + unopened;
  }

  /** My read marker now: the highest number I have read, across the shown segments. */
  readMarker(): number {
    return readMarkerAcross(this.shownDocs(), this.guestId);
  }

  /** The visitor sees the conversation: my read marker, in the newest segment, moves up to the newest message shown (never down). */
  markRead(): void {
    const shown = this.shownDocs();
    const highest = Math.max(0, ...shown.map(highestSequence));
    if (highest > readMarkerAcross(shown, this.guestId)) readsOf(this.segments.writer().doc).set(this.guestId, highest);
  }

  /** The session was confirmed again after the token got no ticket: try again. */
  resume(): void {
    for (const { connection } of this.segments.all()) connection.resume();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.segments.removeEventListener('change', this.onChange);
    this.segments.close();
    await Promise.all(this.segments.all().map(({ connection }) => connection.destroy()));
  }

  /** Closes and deletes every local copy of the conversation (the host's user signed out, or a resync from scratch). */
  async destroyAndClear(): Promise<void> {
    await this.destroy();
    if (this.options.persist === false) return;
    const prefix = `${convDocName(this.conversationId)}~`;
    const stored = await storedDocNames().catch(() => [] as string[]);
    const names = new Set([convDocName(this.conversationId), ...stored.filter((name) => name.startsWith(prefix))]);
    await Promise.all([...names].map((name) => deleteDatabase(name)));
  }

  private write(message: Message): void {
    messagesOf(this.segments.writer().doc).set(message.id, message);
  }

  private attachmentMessage(kind: 'image' | 'file' | 'voice', attachment: Attachment): Message {
    return { id: newMessageId(), author: this.guestId, kind, text: '', createdAt: clampMessageTime(Date.now()), attachments: [attachment] };
  }

  /** The shown segments, newest first; the newest alone before it loaded. */
  private shown(): OpenSegment<VisitorDocument>[] {
    const shown = this.segments.shown();
    return shown.length > 0 ? shown : [{ segment: this.segments.newest, connection: this.segments.writer() }];
  }

  private shownDocs(): Y.Doc[] {
    return this.shown().map(({ connection }) => connection.doc);
  }

  private readonly onChange = (): void => {
    if (this.destroyed) return;
    this.readOwn();
    this.announce();
    this.dispatchEvent(new Event('change'));
  };

  /**
   * Keeps my marker where a fresh device looks for it: in the newest segment,
   * and past my own messages numbered right after it, shown or not (the
   * app's server does the same for its heads: writing is reading). A fresh
   * device counts the numbers of the segments it has not opened as unread,
   * and before, it counted the visitor's own words on the host page's badge:
   * messages sent and the bubble closed before they were numbered stayed
   * above the marker, and a marker written into a segment just closed
   * (the list had not told us of the next yet) was not copied forward.
   */
  private readOwn(): void {
    const shown = this.shownDocs();
    const writer = this.segments.writer().doc;
    const target = Math.max(ownRunEnd(shown, this.guestId), readMarkerAcross(shown, this.guestId));
    if (target > readMarker(writer, this.guestId)) readsOf(writer).set(this.guestId, target);
  }

  /** Tells the host page of messages by the site's people numbered since the newest segment first synced. */
  private announce(): void {
    const newest = this.segments.writer();
    if (this.announcedUpTo === null) {
      if (newest.state.synced && this.root.state.synced) this.announcedUpTo = Math.max(0, ...this.shownDocs().map(highestSequence));
      return;
    }
    const fresh = this.messages().filter(
      ({ message, seq }) => seq !== undefined && seq > (this.announcedUpTo ?? 0) && message.author !== this.guestId && !message.deleted,
    );
    for (const { message, seq } of fresh) {
      this.announcedUpTo = Math.max(this.announcedUpTo, seq ?? 0);
      this.dispatchEvent(new CustomEvent<Message>('incoming', { detail: message }));
    }
  }
}
