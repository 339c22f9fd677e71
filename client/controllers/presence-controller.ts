/** Brings my friends' presence (data/people/friend-presence.ts) into a component: it re-renders when an answer comes. */
import type { ReactiveControllerHost } from 'lit';
import type { LastSeenAudience, PresenceOf } from '../../shared/presence.js';
import type { ApiResult } from '../data/api/api-client.js';
import { type FriendPresence, presenceOf } from '../data/people/friend-presence.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { ChangeEventController, sessionPart } from './following-controller.js';

export class PresenceController extends ChangeEventController<FriendPresence> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, sessionPart(session, presenceOf));
  }

  /** A friend's presence, if the server lets me see it. */
  of(userId: string): PresenceOf | undefined {
    return this.source?.of(userId);
  }

  /** Someone's conversation opened: their presence is worth asking for again. */
  refreshSoon(): void {
    this.source?.refreshSoon();
  }

  get lastSeen(): LastSeenAudience | undefined {
    return this.source?.lastSeen;
  }

  setLastSeen(lastSeen: LastSeenAudience): Promise<ApiResult<{ lastSeen: LastSeenAudience }>> | undefined {
    return this.source?.setLastSeen(lastSeen);
  }
}
