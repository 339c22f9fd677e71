/** Brings the session's unread counts and conversation heads into a component (the conversation list, the page title). */
import type { ReactiveControllerHost } from 'lit';
import type { Head } from '../../shared/heads.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { unreadOf, type UnreadTracker } from '../data/messages/unread-tracker.js';
import { ChangeEventController, sessionPart } from './following-controller.js';

export class UnreadController extends ChangeEventController<UnreadTracker> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, sessionPart(session, unreadOf));
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.source?.count(conversationId) ?? 0;
  }

  /** The conversation's head (newest message), for the list's preview, time and order. */
  head(conversationId: string): Head | undefined {
    return this.source?.head(conversationId);
  }

  /** Someone @mentioned me there in a message I have not read. */
  mentioned(conversationId: string): boolean {
    return this.source?.mentioned(conversationId) ?? false;
  }

  total(): number {
    return this.source?.total() ?? 0;
  }
}
