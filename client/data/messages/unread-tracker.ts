/**
 * Unread counts of every conversation in the person's list, for the list's
 * badges and the page title. Counting needs each conversation's document
 * (`reads` and `seq` live there), so the tracker opens them all; they then
 * stay synced, which is also what makes new-message notifications possible.
 * Emits 'change' when a count changes.
 */
import type * as Y from 'yjs';
import { messagesOf, readsOf, seqOf, type Message } from '../../../shared/schema.js';
import type { ChatSession } from '../session/chat-session.js';
import type { DocConnection } from '../sync/doc-connection.js';
import { readMarker, unreadCount } from './unread.js';

/** Called for a message from someone else that arrived live (not with the first sync of a document). */
export type NewMessageListener = (conversationId: string, message: Message) => void;

/** Passes of `follow` in a row; past it the next session change starts again. */
const MAX_FOLLOW_PASSES = 5;

interface Watched {
  connection: DocConnection;
  count: number;
  stop(): void;
}

export class UnreadTracker extends EventTarget {
  private readonly watched = new Map<string, Watched>();
  private readonly listeners = new Set<NewMessageListener>();
  private readonly onSession = () => this.follow();
  private closed = false;
  /** A pass of `follow` is running; a session change meanwhile asks for one more pass instead of nesting one. */
  private following = false;
  private followAgain = false;

  constructor(private readonly session: ChatSession) {
    super();
    session.addEventListener('change', this.onSession);
    this.follow();
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.watched.get(conversationId)?.count ?? 0;
  }

  /** Unread messages in all conversations. */
  total(): number {
    let total = 0;
    for (const watched of this.watched.values()) total += watched.count;
    return total;
  }

  onNewMessage(listener: NewMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.session.removeEventListener('change', this.onSession);
    for (const watched of this.watched.values()) watched.stop();
    this.watched.clear();
  }

  /**
   * Watches every listed conversation's current replica (a recovered one is a
   * new replica). Opening a conversation makes the session say "change" at
   * once, which calls this again: run then, that nested one open per listed
   * conversation and overflowed the stack at ~100 conversations (issue 20).
   * So a change during a pass only asks for another pass after it.
   */
  private follow(): void {
    if (this.closed) return;
    if (this.following) {
      this.followAgain = true;
      return;
    }
    this.following = true;
    try {
      // A pass opens what is new; the next finds nothing to open, so this ends. Bounded all the same.
      for (let pass = 0; pass < MAX_FOLLOW_PASSES && !this.closed; pass++) {
        this.followAgain = false;
        this.followOnce();
        if (!this.followAgain) break;
      }
    } finally {
      this.following = false;
    }
  }

  private followOnce(): void {
    const listed = new Set<string>();
    for (const summary of this.session.conversations()) {
      if (summary.ended) continue;
      listed.add(summary.id);
      const connection = this.session.openConversation(summary.id);
      if (this.watched.get(summary.id)?.connection === connection) continue;
      this.watched.get(summary.id)?.stop();
      this.watch(summary.id, connection);
    }
    for (const [id, watched] of this.watched) {
      if (listed.has(id)) continue;
      watched.stop();
      this.watched.delete(id);
      this.changed();
    }
  }

  private watch(conversationId: string, connection: DocConnection): void {
    const { doc } = connection;
    const meId = this.session.me.id;
    const entry: Watched = { connection, count: unreadCount(doc, meId), stop: () => undefined };
    const recount = () => {
      const count = unreadCount(doc, meId);
      if (count === entry.count) return;
      entry.count = count;
      this.changed();
    };
    const onSeq = (event: Y.YMapEvent<number>) => {
      // Before the first sync, numbers arrive for history, not for news.
      if (!connection.state.synced) return;
      const added = [...event.changes.keys].filter(([, change]) => change.action === 'add').map(([id]) => id);
      this.announce(conversationId, connection, added);
    };
    messagesOf(doc).observe(recount);
    seqOf(doc).observe(recount);
    seqOf(doc).observe(onSeq);
    readsOf(doc).observe(recount);
    entry.stop = () => {
      messagesOf(doc).unobserve(recount);
      seqOf(doc).unobserve(recount);
      seqOf(doc).unobserve(onSeq);
      readsOf(doc).unobserve(recount);
    };
    this.watched.set(conversationId, entry);
    if (entry.count > 0) this.changed();
  }

  private announce(conversationId: string, connection: DocConnection, ids: string[]): void {
    const meId = this.session.me.id;
    const read = readMarker(connection.doc, meId);
    const seq = seqOf(connection.doc);
    for (const id of ids) {
      const message = messagesOf(connection.doc).get(id);
      const number = seq.get(id);
      if (!message || message.author === meId || message.deleted || number === undefined || number <= read) continue;
      for (const listener of this.listeners) listener(conversationId, message);
    }
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
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
