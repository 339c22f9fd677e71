/**
 * Background sync (issue 12): once the person's own document (the list and
 * its heads) is synced, the app brings the copies of conversations with new
 * activity up to date without the person opening them, so a conversation
 * active on another device is readable here offline. Newest activity first,
 * a few at a time, within the bounds of background-plan.ts; each document is
 * closed again once synced, so the relay keeps loaded only what is active.
 * Whatever the person opens goes first: nothing new starts while one of
 * their conversations is still syncing.
 */
import * as Y from 'yjs';
import { newestSegmentOf } from '../../../shared/schema.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import { highestSequence } from '../messages/unread.js';
import { unreadOf } from '../messages/unread-tracker.js';
import type { ChatSession } from '../session/chat-session.js';
import { backgroundPlan, DEFAULT_BACKGROUND_BOUNDS, type BackgroundBounds } from './background-plan.js';
import type { DocConnection } from './doc-connection.js';
import { LocalCopies } from './local-copies.js';

/** A document that has not synced by then is left for the next change of its head. */
const SYNC_TIMEOUT_MS = 30_000;

export interface BackgroundSyncOptions {
  bounds?: BackgroundBounds;
  now?: () => number;
  syncTimeoutMs?: number;
}

export class BackgroundSync extends EventTarget {
  private readonly running = new Set<string>();
  /** The head `seq` each conversation was last synced for in this session: not tried again until its head moves past it. */
  private readonly attempted = new Map<string, number>();
  private readonly bounds: BackgroundBounds;
  private readonly now: () => number;
  private readonly syncTimeoutMs: number;
  private scheduled = false;
  private closed = false;
  private readonly stopHeads: () => void;
  private readonly onChange = () => {
    this.recordOpened();
    this.schedule();
  };

  constructor(
    private readonly session: ChatSession,
    readonly copies: LocalCopies,
    options: BackgroundSyncOptions = {},
  ) {
    super();
    this.bounds = options.bounds ?? DEFAULT_BACKGROUND_BOUNDS;
    this.now = options.now ?? Date.now;
    this.syncTimeoutMs = options.syncTimeoutMs ?? SYNC_TIMEOUT_MS;
    // The heads as the app reads them: per member, or shared and joined with my marks (heads-view.ts).
    this.stopHeads = session.heads.subscribe(this.onChange);
    session.addEventListener('change', this.onChange);
    session.userDoc.addEventListener('change', this.onChange);
    this.schedule();
  }

  /** Conversations being synced in the background right now. */
  inProgress(): string[] {
    return [...this.running];
  }

  close(): void {
    this.closed = true;
    this.stopHeads();
    this.session.removeEventListener('change', this.onChange);
    this.session.userDoc.removeEventListener('change', this.onChange);
  }

  /** One look at the plan per turn, however many changes came in it. */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.pump();
    }, 0);
  }

  private pump(): void {
    if (this.closed || !this.session.userDoc.state.synced || this.personWaits()) return;
    const tracker = unreadOf(this.session);
    const plan = backgroundPlan({
      conversations: this.session.conversations(),
      head: (id) => tracker.head(id),
      localSeq: (id) => Math.max(this.copies.seq(id), this.attempted.get(id) ?? 0),
      bytesHeld: this.copies.backgroundBytes(),
      now: this.now(),
      bounds: this.bounds,
    });
    for (const id of plan) {
      if (this.running.size >= this.bounds.concurrency) break;
      // Open anyway (the person's): recorded when synced, by recordOpened.
      if (this.running.has(id) || this.session.openedConversation(id)) continue;
      void this.syncOne(id, tracker.head(id)?.seq ?? 0);
    }
  }

  private async syncOne(id: string, headSeq: number): Promise<void> {
    this.running.add(id);
    this.attempted.set(id, headSeq);
    try {
      const root = this.session.syncInBackground(id);
      await root.firstSynced({ timeoutMs: this.syncTimeoutMs });
      // New messages live in the newest history segment (docs/SEGMENTS.md): that copy is what offline reading needs.
      const { segment } = newestSegmentOf(root.doc);
      const newest = segment > 0 ? this.session.syncInBackground(id, segment) : root;
      if (newest !== root) await newest.firstSynced({ timeoutMs: this.syncTimeoutMs });
      // The highest number over both: a late message's number lives in the segment that holds the message,
      // which may be `conv/<id>` while the newest segment has not heard of it yet (docs/SEGMENTS.md, "Late writes").
      this.record(id, newest, true, highestSequence(root.doc));
    } catch (error) {
      console.warn(`Background sync of ${id} gave up`, error);
    } finally {
      this.running.delete(id);
      await this.session.releaseBackground(id);
      this.dispatchEvent(new Event('change'));
      this.schedule();
    }
  }

  /** A conversation the person opened is still syncing: it has the network first. */
  private personWaits(): boolean {
    return this.session.openedConversationIds().some((id) => {
      if (this.running.has(id)) return false;
      const state = this.session.openedConversation(id)?.state;
      return state !== undefined && state.phase === 'connected' && !state.synced;
    });
  }

  /** Copies the person's open conversations hold are up to date too. */
  private recordOpened(): void {
    for (const id of this.session.openedConversationIds()) {
      if (this.running.has(id)) continue;
      // The newest segment holds the newest messages (docs/SEGMENTS.md).
      const connection = this.session.openedWriter(id) ?? this.session.openedConversation(id);
      if (connection?.state.synced) this.record(id, connection, false);
    }
  }

  private record(id: string, connection: DocConnection, background: boolean, alsoHeld = 0): void {
    const seq = Math.max(highestSequence(connection.doc), alsoHeld);
    if (seq === this.copies.seq(id) && !background) return;
    this.copies.record(id, seq, Y.encodeStateAsUpdate(connection.doc).byteLength, background);
  }
}

/**
 * The device's switch: `localStorage['happychat.background-sync'] = 'off'`
 * keeps this device to what the person opens (a metered connection; and the
 * tests that show the list needs no conversation document).
 */
export const BACKGROUND_SYNC_KEY = 'happychat.background-sync';

/** Whether this device syncs conversations in the background (on unless switched off). */
export function backgroundSyncWanted(storage: Pick<KeyValueStorage, 'getItem'> = localStorage): boolean {
  return storage.getItem(BACKGROUND_SYNC_KEY) !== 'off';
}

/** Starts background sync for a signed-in session; it stops with the session, and forgets its record on sign-out. */
export function startBackgroundSync(
  session: ChatSession,
  storage: KeyValueStorage = localStorage,
  options: BackgroundSyncOptions = {},
): BackgroundSync {
  const sync = new BackgroundSync(session, new LocalCopies(session.me.id, storage), options);
  session.onClose((deleteLocalData) => {
    sync.close();
    if (deleteLocalData) sync.copies.clear();
  });
  return sync;
}
