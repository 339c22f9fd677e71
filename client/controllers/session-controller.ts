/** Re-renders its host whenever the chat session changes (list, status, pending count). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/chat-session.js';

export class SessionController implements ReactiveController {
  private subscribed: ChatSession | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  /** Runs before each render: follow the host's current session. */
  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.subscribed?.removeEventListener('change', this.onChange);
    this.subscribed = undefined;
  }

  private follow(): void {
    const session = this.target();
    if (session === this.subscribed) return;
    this.subscribed?.removeEventListener('change', this.onChange);
    this.subscribed = session;
    session?.addEventListener('change', this.onChange);
  }
}
