/** Re-renders its host whenever the chat session changes (list, status, pending count). */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { ChangeEventController } from './following-controller.js';

export class SessionController extends ChangeEventController<ChatSession> {}

/**
 * Re-renders its host when the session's list of conversations changes,
 * not on every change of the session: background sync opens and closes
 * documents many times a second, and the conversation list re-rendering a
 * thousand rows for each was most of the page's work meanwhile (issue 12).
 */
export class SessionListController extends ChangeEventController<ChatSession> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, session, 'list');
  }
}
