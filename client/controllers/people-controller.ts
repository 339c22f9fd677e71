/** Re-renders its host when my friends, friend requests or profile change (my `user/<id>` document). */
import type { ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/session/chat-session.js';
import { NO_REMARKS } from '../data/people/display-names.js';
import { peopleOf, type PeopleDirectory, type PeopleSnapshot } from '../data/people/people-directory.js';
import { ChangeEventController, sessionPart } from './following-controller.js';

const EMPTY: PeopleSnapshot = {
  friends: [],
  friendById: new Map(),
  remarks: NO_REMARKS,
  requests: { incoming: [], outgoing: [] },
  profile: {},
};

export class PeopleController extends ChangeEventController<PeopleDirectory> {
  constructor(host: ReactiveControllerHost, session: () => ChatSession | undefined) {
    super(host, sessionPart(session, peopleOf));
  }

  /** What my document says now (empty without a session). */
  get snapshot(): PeopleSnapshot {
    return this.source?.snapshot() ?? EMPTY;
  }
}
