/** Brings the session's unread counts into a component (the conversation list's badges, the page title). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/chat-session.js';
import { unreadOf, type UnreadTracker } from '../data/unread-tracker.js';

export class UnreadController implements ReactiveController {
  private tracker: UnreadTracker | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    host.addController(this);
  }

  /** Unread messages in one conversation. */
  count(conversationId: string): number {
    return this.tracker?.count(conversationId) ?? 0;
  }

  total(): number {
    return this.tracker?.total() ?? 0;
  }

  hostConnected(): void {
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.tracker?.removeEventListener('change', this.onChange);
    this.tracker = undefined;
  }

  private follow(): void {
    const session = this.target();
    const tracker = session ? unreadOf(session) : undefined;
    if (tracker === this.tracker) return;
    this.tracker?.removeEventListener('change', this.onChange);
    this.tracker = tracker;
    tracker?.addEventListener('change', this.onChange);
  }
}
