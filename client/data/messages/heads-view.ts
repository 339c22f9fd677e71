/**
 * The conversation heads the app reads (the list, unread counts, background
 * sync, the read marker of an open chat), from wherever the server keeps
 * them. Without shared heads: the per-member heads in `user/<id>`, read as
 * they always were. When the server offers shared heads (HEADS_SHARED;
 * docs/PROTOCOL.md, "Shared conversation heads"): the conversation's shared
 * head joined with my own marks (`headMarks` in `user/<id>`); a head I wrote
 * counts as read up to its `seq` even before my marks arrive.
 */
import type * as Y from 'yjs';
import { isHead, type Head, type HeadMarks, type SharedHead } from '../../../shared/heads.js';
import { headMarksOf, headsOf } from '../../../shared/schema.js';
import type { DocConnection } from '../sync/doc-connection.js';
import type { SharedHeads } from '../sync/shared-heads.js';

/** Heads that changed, each with what it was before; `live`: a new head, not history arriving with a first sync or catch-up. */
export type HeadsChangeListener = (changes: ReadonlyMap<string, Head | undefined>, live: boolean) => void;

export class HeadsView {
  private readonly perMember: Y.Map<Head>;
  private readonly marks: Y.Map<HeadMarks>;
  private readonly listeners = new Set<HeadsChangeListener>();
  /** The joined heads as last told to listeners (shared mode), so a change can say what a head was. */
  private readonly told = new Map<string, Head | undefined>();
  private readonly stopShared: () => void;
  private readonly onPerMember = (event: Y.YMapEvent<Head>) => {
    if (this.shared?.offered) return;
    const changes = new Map<string, Head | undefined>();
    for (const [id, change] of event.changes.keys) changes.set(id, isHead(change.oldValue) ? change.oldValue : undefined);
    // Before the user document's first sync, heads arrive for history, not for news.
    this.emit(changes, this.userDoc.state.synced);
  };
  private readonly onMarks = (event: Y.YMapEvent<HeadMarks>) => {
    if (this.shared?.offered) this.joinedChanged([...event.changes.keys.keys()], false);
  };

  /** `user/<id>` is read (whenOwnRead), for `loaded`. */
  private ownRead = false;
  private readonly whenOwnRead: Promise<void>;

  /**
   * `noLocalCopy`: the person's first sign-in on this device (ChatSession's
   * `firstOnThisDevice`), so `user/<id>` counts as read once the relay's
   * first answer is in, whichever comes first: its empty IndexedDB copy
   * opens 100–400 ms later on a busy first start (issue 12's cold first
   * sign-in), and holds nothing the list would show.
   */
  constructor(
    private readonly meId: string,
    private readonly userDoc: DocConnection,
    private readonly shared: SharedHeads | null = null,
    { noLocalCopy = false }: { noLocalCopy?: boolean } = {},
  ) {
    // Stopped before its first answer (signed out): its local copy is what there is to read.
    const firstAnswer = () => userDoc.firstSynced().catch(() => userDoc.whenLocalLoaded);
    const read = noLocalCopy ? Promise.race([userDoc.whenLocalLoaded, firstAnswer()]) : userDoc.whenLocalLoaded;
    this.whenOwnRead = read.then(() => {
      this.ownRead = true;
    });
    this.perMember = headsOf(userDoc.doc);
    this.marks = headMarksOf(userDoc.doc);
    this.perMember.observe(this.onPerMember);
    this.marks.observe(this.onMarks);
    this.stopShared = shared?.subscribe((ids, live) => this.joinedChanged(ids, live)) ?? (() => {});
  }

  /** Whether the heads read are the shared ones (the server offers them, or did on this device's last visit). */
  get sharedHeads(): boolean {
    return this.shared?.offered === true;
  }

  /** The conversation's head for me (undefined before its first message, or before it reached this device). */
  head(conversationId: string): Head | undefined {
    const own: unknown = this.perMember.get(conversationId);
    const perMember = isHead(own) ? own : undefined;
    if (!this.shared?.offered) return perMember;
    const head: SharedHead | undefined = this.shared.get(conversationId) ?? perMember;
    if (!head) return undefined;
    return joinHead(head, this.marks.get(conversationId), perMember?.readSeq ?? 0, this.meId);
  }

  /**
   * Whether this device's own copies of the heads are read: `user/<id>`'s
   * (the per-member heads and my marks) and, with shared heads, their
   * IndexedDB copy, or without one the first catch-up (or the server's
   * refusal, or no socket; shared-heads.ts bounds the wait). Before that a list would be drawn without its previews
   * and in the wrong order, then all over again (issue 12).
   */
  get loaded(): boolean {
    return this.ownRead && (this.shared?.loaded ?? true);
  }

  /** Resolves when `loaded` becomes true; both copies are read at the same time, from the session's start. */
  whenLoaded(): Promise<void> {
    return Promise.all([this.whenOwnRead, this.shared?.whenLoaded]).then(() => undefined);
  }

  /** Resolves once the shared heads received so far are stored on this device (at once without shared heads). */
  whenStored(): Promise<void> {
    return this.shared?.whenStored() ?? Promise.resolve();
  }

  subscribe(listener: HeadsChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.perMember.unobserve(this.onPerMember);
    this.marks.unobserve(this.onMarks);
    this.stopShared();
    this.shared?.close();
    this.listeners.clear();
  }

  private joinedChanged(ids: readonly string[], live: boolean): void {
    const changes = new Map<string, Head | undefined>();
    for (const id of ids) {
      changes.set(id, this.told.get(id));
      this.told.set(id, this.head(id));
    }
    this.emit(changes, live);
  }

  private emit(changes: ReadonlyMap<string, Head | undefined>, live: boolean): void {
    if (changes.size === 0) return;
    for (const listener of this.listeners) listener(changes, live);
  }
}

/** A shared head with my marks: read up to my marker (or the older per-member one), and to its `seq` if I wrote it. */
export function joinHead(shared: SharedHead, marks: HeadMarks | undefined, fallbackReadSeq: number, meId: string): Head {
  const marked = typeof marks?.readSeq === 'number' ? marks.readSeq : fallbackReadSeq;
  const readSeq = shared.author === meId ? Math.max(marked, shared.seq) : marked;
  // Only the shared fields: a stored per-member head passed here as a fallback carries its own old marks.
  const head: Head = { seq: shared.seq, at: shared.at, author: shared.author, kind: shared.kind, preview: shared.preview, readSeq };
  if (typeof shared.segment === 'number') head.segment = shared.segment;
  if (typeof marks?.mentionSeq === 'number') head.mentionSeq = marks.mentionSeq;
  return head;
}
