/**
 * My pins, archive and unread marks in my conversation list (issue 15), in
 * `listState` of my own `user/<id>` document (shared/list-state.ts): written
 * locally, so they work offline, and synced to my other devices like the
 * rest of the document. Each write is checked with the relay's own rule
 * first, so this device never sends what the relay would refuse.
 */
import type * as Y from 'yjs';
import { changedListState, listStateProblem, type ListState } from '../../../shared/list-state.js';
import { listStateOf } from '../../../shared/schema.js';
import type { ChatSession } from '../session/chat-session.js';

/** What a person can do to one conversation from its row in the list. */
export type ListAction = 'pin' | 'unpin' | 'archive' | 'unarchive' | 'mark-unread' | 'mark-read';

export class ListStates extends EventTarget {
  private readonly onChange = () => this.dispatchEvent(new Event('change'));

  constructor(private readonly doc: Y.Doc) {
    super();
    listStateOf(doc).observe(this.onChange);
  }

  /** The conversation's state; empty when I chose nothing for it. */
  of(conversationId: string): ListState {
    const state = listStateOf(this.doc).get(conversationId);
    return state && typeof state === 'object' ? state : {};
  }

  /** Does `action` to the conversation (pinning unarchives, archiving unpins). */
  apply(conversationId: string, action: ListAction, now = Date.now()): void {
    const change: Partial<Record<keyof ListState, unknown>> = {
      pin: { pinnedAt: now },
      unpin: { pinnedAt: undefined },
      archive: { archived: true },
      unarchive: { archived: undefined },
      'mark-unread': { unread: true },
      'mark-read': { unread: undefined },
    }[action];
    this.write(conversationId, changedListState(this.of(conversationId), change));
  }

  /** Opening a conversation reads it: its hand-made unread mark goes. */
  opened(conversationId: string): void {
    if (this.of(conversationId).unread) this.apply(conversationId, 'mark-read');
  }

  close(): void {
    listStateOf(this.doc).unobserve(this.onChange);
  }

  private write(conversationId: string, next: ListState): void {
    const map = listStateOf(this.doc);
    if (Object.keys(next).length === 0) {
      if (map.has(conversationId)) map.delete(conversationId);
      return;
    }
    const problem = listStateProblem(next);
    if (problem) throw new Error(`list state for ${conversationId}: ${problem}`);
    map.set(conversationId, next);
  }
}

const books = new WeakMap<ChatSession, ListStates>();

/** The one list state reader and writer of a session's user document. */
export function listStatesOf(session: ChatSession): ListStates {
  let states = books.get(session);
  if (!states) {
    states = new ListStates(session.userDoc.doc);
    books.set(session, states);
  }
  return states;
}
