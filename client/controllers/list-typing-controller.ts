/**
 * Brings who types in which conversation into the list (issue 15), from the
 * presence of my user document (data/messages/list-typing.ts): the host
 * re-renders when it changes.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import type { ListTyper, ListTyping } from '../../shared/list-typing.js';
import { listTypingOf } from '../data/messages/list-typing.js';
import { FollowingController } from './following-controller.js';

export class ListTypingController extends FollowingController<Awareness> {
  private typing: ListTyping = {};
  private readonly onChange = () => {
    const next = this.compute();
    if (JSON.stringify(next) === JSON.stringify(this.typing)) return;
    this.typing = next;
    this.host.requestUpdate();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Awareness | undefined,
  ) {
    super(host);
    host.addController(this);
  }

  /** The others typing in a conversation now (never me). */
  of(conversationId: string): readonly ListTyper[] {
    return this.typing[conversationId] ?? [];
  }

  protected resolve(): Awareness | undefined {
    return this.target();
  }

  protected attach(awareness: Awareness): void {
    awareness.on('change', this.onChange);
  }

  protected detach(awareness: Awareness): void {
    awareness.off('change', this.onChange);
  }

  protected override sourceChanged(): void {
    this.typing = this.compute();
  }

  private compute(): ListTyping {
    return this.source ? listTypingOf(this.source.getStates() as Map<number, Record<string, unknown>>) : {};
  }
}
