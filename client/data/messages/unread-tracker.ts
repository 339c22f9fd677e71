/**
 * Unread counts of every conversation in the person's list, for the list's
 * badges and the page title, read from the heads the server keeps in the
 * person's `user/<id>` document (shared/heads.ts; docs/ARCHITECTURE.md,
 * "Conversation heads"): unread = head.seq − head.readSeq. So counting opens
 * no conversation document, whatever the number of conversations (issue 12:
 * it used to open every one, and past ~250 the browser ran out of sockets).
 *
 * A conversation this device has open anyway (the person is reading it)
 * also counts what its replica knows: read here a moment ago, or numbered
 * before the server's coalesced head arrives. Emits 'change' when a count
 * or a head changes (the list shows the heads too, `head`); tells listeners of a head that moved past the read marker, by
 * someone else, after the user document's first sync (a new message).
 */
import { DELETED_PREVIEW } from '../../../shared/heads.js';
import type * as Y from 'yjs';
import { isHead, unreadOfHead, type Head } from '../../../shared/heads.js';
import { headsOf, readsOf, seqOf } from '../../../shared/schema.js';
import type { ChatSession } from '../session/chat-session.js';
import type { DocConnection } from '../sync/doc-connection.js';
import { highestSequence, readMarker } from './unread.js';

/** Called for a conversation whose newest message, by someone else, arrived live (not with the first sync). */
export type NewMessageListener = (conversationId: string, head: Head) => void;

/** A conversation open on this device, whose replica the counts also follow. */
interface Opened {
  connection: DocConnection;
  stop(): void;
}

export class UnreadTracker extends EventTarget {
  private readonly counts = new Map<string, number>();
  private readonly opened = new Map<string, Opened>();
  private readonly listeners = new Set<NewMessageListener>();
  private readonly heads: Y.Map<Head>;
  private readonly onSession = () => this.follow();
  private readonly onHeads = (event: Y.YMapEvent<Head>) => {
    this.announce(event);
    // The list shows the heads' previews and order as well as the counts.
    this.recount(this.listedIds(), true);
  };
  private closed = false;

  constructor(private readonly session: ChatSession) {
    super();
    this.heads = headsOf(session.userDoc.doc);
    this.heads.observe(this.onHeads);
    session.addEventListener('change', this.onSession);
    this.follow();
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.counts.get(conversationId) ?? 0;
  }

  /** The conversation's head as the server last wrote it (undefined before its first message, or before it reached this device). */
  head(conversationId: string): Head | undefined {
    const head: unknown = this.heads.get(conversationId);
    return isHead(head) ? head : undefined;
  }

  /** Unread messages in all conversations. */
  total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  onNewMessage(listener: NewMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.heads.unobserve(this.onHeads);
    this.session.removeEventListener('change', this.onSession);
    for (const opened of this.opened.values()) opened.stop();
    this.opened.clear();
  }

  /** Follows the replicas of the listed conversations this device has open (it opens none), then recounts. */
  private follow(): void {
    if (this.closed) return;
    const listed = new Set<string>();
    for (const summary of this.session.conversations()) {
      if (summary.ended) continue;
      listed.add(summary.id);
      const connection = this.session.openedConversation(summary.id);
      const current = this.opened.get(summary.id);
      if (current?.connection === connection) continue;
      current?.stop();
      this.opened.delete(summary.id);
      if (connection) this.watch(summary.id, connection);
    }
    for (const [id, opened] of this.opened) {
      if (listed.has(id)) continue;
      opened.stop();
      this.opened.delete(id);
    }
    this.recount(listed);
  }

  private watch(conversationId: string, connection: DocConnection): void {
    const recount = () => this.recount();
    seqOf(connection.doc).observe(recount);
    readsOf(connection.doc).observe(recount);
    this.opened.set(conversationId, {
      connection,
      stop: () => {
        seqOf(connection.doc).unobserve(recount);
        readsOf(connection.doc).unobserve(recount);
      },
    });
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

  /** The head's count, raised or lowered by what an open replica knows newer. */
  private countOf(conversationId: string): number {
    const head = this.head(conversationId);
    const doc = this.opened.get(conversationId)?.connection.doc;
    const seq = Math.max(head?.seq ?? 0, doc ? highestSequence(doc) : 0);
    const read = Math.max(head?.readSeq ?? 0, doc ? readMarker(doc, this.session.me.id) : 0);
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

  private announce(event: Y.YMapEvent<Head>): void {
    // Before the first sync, heads arrive for history, not for news.
    if (!this.session.userDoc.state.synced) return;
    for (const [conversationId, change] of event.changes.keys) {
      if (change.action === 'delete') continue;
      const head = this.head(conversationId);
      const before: unknown = change.oldValue;
      if (!head || head.author === this.session.me.id || head.preview === DELETED_PREVIEW) continue;
      if ((isHead(before) && head.seq <= before.seq) || unreadOfHead(head) === 0) continue;
      if (this.session.conversation(conversationId)?.ended) continue;
      for (const listener of this.listeners) listener(conversationId, head);
    }
  }
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
