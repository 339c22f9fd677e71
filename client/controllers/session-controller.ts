/** Re-renders its host whenever the chat session changes (list, status, pending count). */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { ChangeEventController } from './following-controller.js';

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
