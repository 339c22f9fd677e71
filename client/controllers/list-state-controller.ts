/** Brings my pins, archive and unread marks (my `user/<id>` document's `listState`) into a component: it re-renders when they change. */
import type { ReactiveControllerHost } from 'lit';
import type { ListState } from '../../shared/list-state.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { listStatesOf, type ListAction, type ListStates } from '../data/messages/list-states.js';
import { ChangeEventController, sessionPart } from './following-controller.js';

export class ListStateController extends ChangeEventController<ListStates> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, sessionPart(session, listStatesOf));
  }

  of(conversationId: string): ListState {
    return this.source?.of(conversationId) ?? {};
  }

  apply(conversationId: string, action: ListAction): void {
    this.source?.apply(conversationId, action);
  }
}
