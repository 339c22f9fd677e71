/** Re-renders its host when my friends, friend requests or profile change (my `user/<id>` document). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatSession } from '../data/chat-session.js';
import { NO_REMARKS } from '../data/display-names.js';
import { peopleOf, type PeopleDirectory, type PeopleSnapshot } from '../data/people-directory.js';

const EMPTY: PeopleSnapshot = {
  friends: [],
  friendById: new Map(),
  remarks: NO_REMARKS,
  requests: { incoming: [], outgoing: [] },
  profile: {},
};

export class PeopleController implements ReactiveController {
  private directory: PeopleDirectory | undefined;
  private connected = false;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => ChatSession | undefined,
  ) {
    host.addController(this);
  }

  /** What my document says now (empty without a session). */
  get snapshot(): PeopleSnapshot {
    return this.directory?.snapshot() ?? EMPTY;
  }

  hostConnected(): void {
    this.connected = true;
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.directory?.removeEventListener('change', this.onChange);
    this.directory = undefined;
  }

  private follow(): void {
    if (!this.connected) return;
    const session = this.target();
    const next = session ? peopleOf(session) : undefined;
    if (next === this.directory) return;
    this.directory?.removeEventListener('change', this.onChange);
    this.directory = next;
    next?.addEventListener('change', this.onChange);
  }
}
