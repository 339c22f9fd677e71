/**
 * The typing indicator both ways, through the open conversation's awareness:
 * who else is typing (re-rendering the host when that changes), and my own
 * `typing` flag, set when I type and cleared after a few idle seconds, when
 * I send, or when I leave the conversation.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import { typingNames, type TypingState } from '../data/messages/typing.js';
import { FollowingController } from './following-controller.js';

/** Seconds of no typing after which I count as stopped. */
export const TYPING_IDLE_MS = 4000;

interface Target {
  awareness: Awareness | undefined;
  meId: string;
  meName: string;
  nameOf(userId: string): string | undefined;
}

export class TypingController extends FollowingController<Awareness> {
  private typing = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private cached: string[] = [];
  private readonly onChange = () => {
    const next = this.compute();
    if (next.join('\n') === this.cached.join('\n')) return;
    this.cached = next;
    this.host.requestUpdate();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    super(host);
    host.addController(this);
  }

  /** The names of the others typing now, sorted. */
  names(): string[] {
    return this.cached;
  }

  /** I typed something: tell the others (once), and stop telling them after a pause. */
  typed(): void {
    const awareness = this.source;
    if (!awareness) return;
    if (!this.typing) {
      const { meId, meName } = this.target();
      this.typing = true;
      awareness.setLocalStateField('user', { id: meId, name: meName });
      awareness.setLocalStateField('typing', true);
    }
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopped(), TYPING_IDLE_MS);
  }

  /** I sent, cleared the box, or left. */
  stopped(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.source?.setLocalStateField('typing', false);
  }

  protected resolve(): Awareness | undefined {
    return this.target().awareness;
  }

  protected attach(awareness: Awareness): void {
    awareness.on('change', this.onChange);
  }

  protected detach(awareness: Awareness): void {
    // Leaving a conversation (or the page) ends my typing there.
    this.stopped();
    awareness.off('change', this.onChange);
  }

  protected override sourceChanged(): void {
    this.cached = this.compute();
  }

  private compute(): string[] {
    const awareness = this.source;
    if (!awareness) return [];
    const { meId, nameOf } = this.target();
    return typingNames(awareness.getStates() as Map<number, TypingState>, awareness.clientID, meId, nameOf);
  }
}
