/**
 * One open conversation's history segments on this device (docs/SEGMENTS.md,
 * "Devices"): `conv/<id>` (its `meta` and segment list, and segment 0), the
 * newest segment, which it follows through the list, and the older ones the
 * person scrolled back to. A fresh device syncs `conv/<id>` and the newest
 * segment only; each older one opens when asked for (`openOlder`). Which of
 * them the list shows, and how they merge, is `segment-run.ts`. Emits
 * 'change' when the newest moves, a segment opens or one becomes loaded.
 */
import { segmentDocName } from '../../../shared/doc-names.js';
import { newestSegmentOf, segmentsOf } from '../../../shared/schema.js';
import { previousSegment, shownSegments } from '../messages/segment-run.js';
import type * as Y from 'yjs';
import type { DocConnection } from '../sync/doc-connection.js';
import type { SegmentKeep } from './segment-keep.js';

/**
 * What this needs of one open document: the app's `DocConnection`, or the
 * widget frame's ticketed `VisitorDocument` (client/embed/). It emits
 * 'change' when its state or content changes.
 */
export interface SegmentConnection extends EventTarget {
  readonly doc: Y.Doc;
  readonly state: { readonly synced: boolean; readonly localLoaded: boolean };
}

/** What this needs of the session's open documents. */
export interface SegmentDocuments<C extends SegmentConnection = DocConnection> {
  /** `neverHeld`: this device has no local copy of it (it may subscribe before its empty local database opened). */
  open(name: string, options?: { neverHeld?: boolean }): C;
  /** Deletes a document's local copy (it is not open). */
  deleteLocal(name: string): Promise<void>;
}

/**
 * Where the conversation's newest message was when the list's head was
 * written (shared/heads.ts): its segment and number.
 */
export interface NewestHint {
  segment: number;
  seq: number;
}

/** A segment the device has open, with its document. */
export interface OpenSegment<C extends SegmentConnection = DocConnection> {
  segment: number;
  connection: C;
}

export class ConversationSegments<C extends SegmentConnection = DocConnection> extends EventTarget {
  private readonly open = new Map<number, C>();
  /** Undoes what `attach` did, per segment. */
  private readonly detachers = new Map<number, () => void>();
  private newestSegment = 0;
  /** The head's segment and number when the conversation opened; null without a head in a segment. */
  private readonly hint: NewestHint | null;
  private closed = false;
  private readonly onChange = () => this.dispatchEvent(new Event('change'));
  private readonly onList = () => this.followNewest();

  constructor(
    readonly conversationId: string,
    /** `conv/<id>`: `meta`, the segment list and segment 0. */
    readonly root: C,
    private readonly documents: SegmentDocuments<C>,
    private readonly keep: SegmentKeep,
    /**
     * Where the newest message is, known before `conv/<id>` is (the list's
     * head, shared/heads.ts): opened at once, together with `conv/<id>`,
     * rather than after `conv/<id>`'s list arrived. Never past the newest:
     * only the newest segment writes heads.
     */
    newestHint: NewestHint | null = null,
  ) {
    super();
    this.hint = newestHint && newestHint.segment > 0 ? newestHint : null;
    this.attach(0, root);
    if (this.hint) {
      this.newestSegment = this.hint.segment;
      this.openSegment(this.hint.segment);
    }
    segmentsOf(root.doc).observe(this.onList);
    this.followNewest();
  }

  /** The newest segment this device knows of: new messages and read markers go there. */
  get newest(): number {
    return this.newestSegment;
  }

  /** The newest segment's document. */
  writer(): C {
    return this.open.get(this.newestSegment) ?? this.root;
  }

  /** Every segment open on this device, `conv/<id>` included. */
  all(): OpenSegment<C>[] {
    return [...this.open].map(([segment, connection]) => ({ segment, connection }));
  }

  /** The document of a segment, if it is open. */
  connectionOf(segment: number): C | undefined {
    return this.open.get(segment);
  }

  /** The segments the list shows, newest first: a run without a gap from the newest (segment-run.ts). */
  shown(): OpenSegment<C>[] {
    return shownSegments(this.newestSegment, this.loadedSegments()).flatMap((segment) => {
      const connection = this.open.get(segment);
      return connection ? [{ segment, connection }] : [];
    });
  }

  /**
   * Whether history older than what the list shows exists: the oldest shown
   * segment starts after number 1. (A new conversation starts in segment 1
   * with `firstSeq` 1: its empty segment 0 is not "older history".)
   */
  hasOlder(): boolean {
    const shown = this.shown();
    // Nothing shown yet (the newest segment is still opening): no "Show earlier messages" row that would
    // vanish a moment later and move the list under the person's eyes (it hid the unread divider on opening).
    if (shown.length === 0) return false;
    const oldest = shown[shown.length - 1].segment;
    if (oldest === 0) return false;
    const entry = segmentsOf(this.root.doc).get(String(oldest));
    // No entry: the list has not arrived (the segment was opened from the head); it says soon.
    return entry !== undefined && entry.firstSeq > 1;
  }

  /**
   * The first number of the oldest shown segment, 1 when the shown run
   * reaches the beginning: a number below it is in a segment not shown yet
   * (where a first unread message or a search hit may be).
   */
  firstShownSeq(): number {
    const shown = this.shown();
    const oldest = shown[shown.length - 1]?.segment ?? 0;
    if (oldest === 0) return 1;
    return segmentsOf(this.root.doc).get(String(oldest))?.firstSeq ?? 1;
  }

  /** The person scrolled past the oldest shown message: opens the segment before it (once; it shows when loaded). */
  openOlder(): void {
    if (this.closed) return;
    const segment = previousSegment(this.newestSegment, this.loadedSegments());
    if (segment === null || this.open.has(segment)) return;
    this.openSegment(segment);
  }

  /** Replaces a segment's document by a fresh one (a refused replica was dropped and is synced again). */
  reopen(segment: number, connection: C): void {
    this.detachers.get(segment)?.();
    this.attach(segment, connection);
    this.onChange();
  }

  close(): void {
    this.closed = true;
    segmentsOf(this.root.doc).unobserve(this.onList);
    for (const detach of this.detachers.values()) detach();
    this.detachers.clear();
  }

  /**
   * A segment counts as loaded once synced, or, offline, once its local copy
   * holds anything at all: then it was synced before. Not "holds messages":
   * a segment synced before may hold none (the newest, just opened by a
   * rollover; or segment 1 of a new conversation whose first message went
   * into `conv/<id>` because it was sent before the list arrived), and
   * offline it would then never count, hiding every segment before it (the
   * WebKit offline bug, docs/SEGMENTS.md). The server writes `meta` into
   * every segment it opens, so a synced one is never empty.
   */
  private loadedSegments(): Set<number> {
    const loaded = new Set<number>();
    // Nothing before `conv/<id>` (the list, `meta`): a segment opened from the head may sync first, and what the
    // list decides on its first messages (where to open, whether older history exists) needs the list.
    if (!isLoaded(this.root)) return loaded;
    for (const [segment, connection] of this.open) if (isLoaded(connection)) loaded.add(segment);
    const emptyNewest = this.emptyNewestByHead();
    if (emptyNewest !== null && this.hint && loaded.has(this.hint.segment)) loaded.add(emptyNewest);
    return loaded;
  }

  /**
   * The newest segment, while it is on its way, when the head says it held
   * nothing yet: it is the one right after the head's segment and starts
   * after the head's message (a rollover closed the head's segment with its
   * last message; the bench's 100,000 messages end so). The list need not
   * wait for its (empty) answer to show the head's segment (issue 13, the
   * first open): it counts as loaded, and whatever it holds joins when it
   * arrives, as a new message would. Only this one case: a head older than
   * that (several segments behind, or a newest that started before the
   * head's message) waits for the segments as before.
   */
  private emptyNewestByHead(): number | null {
    const hint = this.hint;
    const newest = this.newestSegment;
    if (!hint || newest !== hint.segment + 1) return null;
    const entry = segmentsOf(this.root.doc).get(String(newest));
    return entry !== undefined && entry.firstSeq > hint.seq ? newest : null;
  }

  private followNewest(): void {
    const { segment } = newestSegmentOf(this.root.doc);
    if (this.closed || segment <= this.newestSegment) return;
    this.newestSegment = segment;
    if (!this.open.has(segment)) this.openSegment(segment);
    else this.onChange();
  }

  private openSegment(segment: number): void {
    // A segment this device never opened (or evicted since) has an empty local copy: no need to wait for it.
    const neverHeld = !this.keep.held(this.conversationId, segment);
    const connection = segment === 0 ? this.root : this.documents.open(segmentDocName(this.conversationId, segment), { neverHeld });
    this.attach(segment, connection);
    this.keep.opened(this.conversationId, segment);
    this.evict();
    this.onChange();
  }

  private attach(segment: number, connection: C): void {
    this.open.set(segment, connection);
    // A change of mine written while it was not connected holds the segment on the device until it synced.
    const onChange = () => {
      if (segment > 0 && connection.state.synced) this.keep.markSent(this.conversationId, segment);
      this.onChange();
    };
    connection.addEventListener('change', onChange);
    this.detachers.set(segment, () => connection.removeEventListener('change', onChange));
  }

  /** Older segments past the bound leave the device (segment-keep.ts); never one open now. */
  private evict(): void {
    const evicted = this.keep.takeEvictions(this.conversationId, this.newestSegment, new Set(this.open.keys()));
    for (const segment of evicted) {
      void this.documents
        .deleteLocal(segmentDocName(this.conversationId, segment))
        .catch((error: unknown) => console.warn(`Could not delete segment ${segment} of ${this.conversationId}`, error));
    }
  }
}

function isLoaded(connection: SegmentConnection): boolean {
  const { synced, localLoaded } = connection.state;
  return synced || (localLoaded && connection.doc.store.clients.size > 0);
}
