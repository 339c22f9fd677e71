/** Brings the session's unread counts into a component (the conversation list's badges, the page title). */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { unreadOf, type UnreadTracker } from '../data/messages/unread-tracker.js';
import { ChangeEventController } from './following-controller.js';

export class UnreadController extends ChangeEventController<UnreadTracker> {
  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    super(host);
    host.addController(this);
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.source?.count(conversationId) ?? 0;
  }

  total(): number {
    return this.source?.total() ?? 0;
  }

  protected resolve(): UnreadTracker | undefined {
    const session = this.target();
    return session ? unreadOf(session) : undefined;
  }
}
