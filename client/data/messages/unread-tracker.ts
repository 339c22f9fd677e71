/**
 * Unread counts of every conversation in the person's list, for the list's
 * badges and the page title, read from the conversations' heads (shared/heads.ts; docs/ARCHITECTURE.md,
 * "Conversation heads"; per member in `user/<id>` or shared and joined with
 * my marks, heads-view.ts): unread = head.seq − head.readSeq. So counting opens
 * no conversation document, whatever the number of conversations (issue 12:
 * it used to open every one, and past ~250 the browser ran out of sockets).
 *
 * A conversation this device has open anyway (the person is reading it)
 * also counts what its replicas know: read here a moment ago, or numbered
 * before the server's coalesced head arrives. Its replicas are every
 * document of it open here, `conv/<id>` and each history segment
 * (docs/SEGMENTS.md): numbers and read markers live in the segments. Emits 'change' when a count
 * or a head changes (the list shows the heads too, `head`); tells listeners of a head that moved past the read marker, by
 * someone else, after the user document's first sync (a new message).
 */
import { DELETED_PREVIEW } from '../../../shared/heads.js';
import type * as Y from 'yjs';
import { hasUnreadMention, isHead, unreadOfHead, type Head } from '../../../shared/heads.js';
import { readsOf } from '../../../shared/schema.js';
import { observeNumbers } from '../../../shared/seq-index.js';
import { readMarkerAcross } from '../../../shared/unread.js';
import type { ChatSession } from '../session/chat-session.js';
import type { DocConnection } from '../sync/doc-connection.js';
import type { HeadsView } from './heads-view.js';
import { highestSequence } from './unread.js';

/** Called for a conversation whose newest message, by someone else, arrived live (not with the first sync). */
export type NewMessageListener = (conversationId: string, head: Head) => void;

/** A conversation open on this device, whose replicas (`conv/<id>` and its open segments) the counts also follow. */
interface Opened {
  connections: readonly DocConnection[];
  stop(): void;
}

export class UnreadTracker extends EventTarget {
  private readonly counts = new Map<string, number>();
  private readonly opened = new Map<string, Opened>();
  private readonly listeners = new Set<NewMessageListener>();
  private readonly heads: HeadsView;
  private readonly stopHeads: () => void;
  private readonly onSession = () => this.follow();
  private readonly onHeads = (changes: ReadonlyMap<string, Head | undefined>, live: boolean) => {
    if (live) this.announce(changes);
    // The list shows the heads' previews and order as well as the counts.
    this.recount(this.listedIds(), true);
  };
  private closed = false;

  constructor(private readonly session: ChatSession) {
    super();
    this.heads = session.heads;
    this.stopHeads = this.heads.subscribe(this.onHeads);
    session.addEventListener('change', this.onSession);
    this.follow();
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.counts.get(conversationId) ?? 0;
  }

  /** The conversation's head as the server last wrote it (undefined before its first message, or before it reached this device). */
  head(conversationId: string): Head | undefined {
    return this.heads.head(conversationId);
  }

  /** Whether someone @mentioned me in a message I have not read (groups; the head's `mentionSeq`): the list's @ badge. */
  mentioned(conversationId: string): boolean {
    const head = this.head(conversationId);
    if (!head) return false;
    return hasUnreadMention(head, Math.max(head.readSeq, readMarkerAcross(this.docsOf(conversationId), this.session.me.id)));
  }

  /** Unread messages in all conversations, but those `leaveOut` names (muted ones, for the title). */
  total(leaveOut: (conversationId: string) => boolean = () => false): number {
    let total = 0;
    for (const [id, count] of this.counts) if (!leaveOut(id)) total += count;
    return total;
  }

  onNewMessage(listener: NewMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.stopHeads();
    this.session.removeEventListener('change', this.onSession);
    for (const opened of this.opened.values()) opened.stop();
    this.opened.clear();
  }

  /** Follows the replicas of the listed conversations this device has open (it opens none), then recounts. */
  private follow(): void {
    if (this.closed) return;
    const listed = new Set<string>();
    const opened = this.session.openedDocsByConversation();
    for (const summary of this.session.conversations()) {
      if (summary.ended) continue;
      listed.add(summary.id);
      const connections = opened.get(summary.id) ?? [];
      const current = this.opened.get(summary.id);
      if (sameConnections(current?.connections ?? [], connections)) continue;
      current?.stop();
      this.opened.delete(summary.id);
      if (connections.length > 0) this.watch(summary.id, connections);
    }
    for (const [id, opened] of this.opened) {
      if (listed.has(id)) continue;
      opened.stop();
      this.opened.delete(id);
    }
    this.recount(listed);
  }

  private watch(conversationId: string, connections: readonly DocConnection[]): void {
    const recount = () => this.recount();
    const stops = connections.map(({ doc }) => {
      const stopNumbers = observeNumbers(doc, recount);
      readsOf(doc).observe(recount);
      return () => {
        stopNumbers();
        readsOf(doc).unobserve(recount);
      };
    });
    this.opened.set(conversationId, { connections, stop: () => stops.forEach((stop) => stop()) });
  }

  private docsOf(conversationId: string): Y.Doc[] {
    return (this.opened.get(conversationId)?.connections ?? []).map(({ doc }) => doc);
  }

  private recount(listed = this.listedIds(), headsChanged = false): void {
    let changed = headsChanged;
    for (const id of listed) {
      const count = this.countOf(id);
      if (this.counts.get(id) === count) continue;
      this.counts.set(id, count);
      changed = true;
    }
    for (const id of this.counts.keys()) {
      if (listed.has(id)) continue;
      this.counts.delete(id);
      changed = true;
    }
    if (changed) this.dispatchEvent(new Event('change'));
  }

  /** The head's count, raised or lowered by what the open replicas know newer (the highest over them). */
  private countOf(conversationId: string): number {
    const head = this.head(conversationId);
    const docs = this.docsOf(conversationId);
    const seq = Math.max(head?.seq ?? 0, ...docs.map(highestSequence));
    const read = Math.max(head?.readSeq ?? 0, readMarkerAcross(docs, this.session.me.id));
    return unreadOfHead({ seq, readSeq: read });
  }

  private listedIds(): Set<string> {
    return new Set(
      this.session
        .conversations()
        .filter((summary) => !summary.ended)
        .map((summary) => summary.id),
    );
  }

  /** Heads that arrived live (heads-view.ts: after the user document's first sync, or the shared heads' catch-up). */
  private announce(changes: ReadonlyMap<string, Head | undefined>): void {
    for (const [conversationId, before] of changes) {
      const head = this.head(conversationId);
      if (!head || head.author === this.session.me.id || head.preview === DELETED_PREVIEW) continue;
      if ((isHead(before) && head.seq <= before.seq) || unreadOfHead(head) === 0) continue;
      if (this.session.conversation(conversationId)?.ended) continue;
      for (const listener of this.listeners) listener(conversationId, head);
    }
  }
}

function sameConnections(a: readonly DocConnection[], b: readonly DocConnection[]): boolean {
  return a.length === b.length && a.every((connection, i) => connection === b[i]);
}

const trackers = new WeakMap<ChatSession, UnreadTracker>();

/** The session's tracker, made on first use and closed with the session. */
export function unreadOf(session: ChatSession): UnreadTracker {
  let tracker = trackers.get(session);
  if (!tracker) {
    const created = new UnreadTracker(session);
    session.onClose(() => created.close());
    trackers.set(session, (tracker = created));
  }
  return tracker;
}
