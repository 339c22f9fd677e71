/** Brings my muted conversations (muted-conversations.ts) into a component: it re-renders when they change. */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { mutedOf, type MutedConversations } from '../data/messages/muted-conversations.js';
import { ChangeEventController, sessionPart } from './following-controller.js';

export class MutedController extends ChangeEventController<MutedConversations> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, sessionPart(session, mutedOf));
  }

  /** Whether anything is known yet (from the server, now or on an earlier visit). */
  get known(): boolean {
    return this.source?.known ?? false;
  }

  has(conversationId: string): boolean {
    return this.source?.has(conversationId) ?? false;
  }

  /** Mutes or unmutes at once (sent when the server can be reached); resolves with the server's refusal, or null. */
  set(conversationId: string, muted: boolean): Promise<string | null> | undefined {
    return this.source?.set(conversationId, muted);
  }
}
