/** Re-renders its host whenever the chat session changes (list, status, pending count). */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { ChangeEventController, FollowingController } from './following-controller.js';

export class SessionController extends ChangeEventController<ChatSession> {
  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    super(host);
    host.addController(this);
  }

  protected resolve(): ChatSession | undefined {
    return this.target();
  }
}

/**
 * Re-renders its host when the session's list of conversations changes,
 * not on every change of the session: background sync opens and closes
 * documents many times a second, and the conversation list re-rendering a
 * thousand rows for each was most of the page's work meanwhile (issue 12).
 */
export class SessionListController extends FollowingController<ChatSession> {
  private readonly onList = () => this.host.requestUpdate();

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    super(host);
    host.addController(this);
  }

  protected resolve(): ChatSession | undefined {
    return this.target();
  }

  protected attach(source: ChatSession): void {
    source.addEventListener('list', this.onList);
  }

  protected detach(source: ChatSession): void {
    source.removeEventListener('list', this.onList);
  }
}
