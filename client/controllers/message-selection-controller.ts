/**
 * Which message of a list shows its actions (reply, react, edit, delete):
 * the one the pointer or the focus is on (`active`), and the one tapped or
 * acted on (`selected`), which keeps them shown. A tap on the selected one,
 * Escape, or a click beside the messages puts them away. The actions'
 * element loads the first time a message becomes active.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class MessageSelectionController implements ReactiveController {
  /** The message the pointer or the focus is on. */
  active: string | undefined;
  /** The message tapped (touch) or acted on. */
  selected: string | undefined;
  /** Whether the actions' element is loaded (nothing is shown before). */
  actionsLoaded = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Loads the actions' element. */
    private readonly loadActions: () => Promise<unknown>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('click', this.onHostClick);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('click', this.onHostClick);
  }

  /** Whether `id`'s actions are to be rendered. */
  shows(id: string): boolean {
    return this.actionsLoaded && (id === this.active || id === this.selected);
  }

  /** The pointer or focus came to a message. */
  activate(id: string): void {
    if (this.active !== id) {
      this.active = id;
      this.host.requestUpdate();
    }
    if (!this.actionsLoaded) {
      void this.loadActions().then(() => {
        this.actionsLoaded = true;
        this.host.requestUpdate();
      });
    }
  }

  select(id: string): void {
    this.activate(id);
    this.set(id);
  }

  /** A tap on a message: on the message itself (not its buttons, links or editor) it shows or hides the actions. */
  tap(event: Event, id: string): void {
    const interactive = event.composedPath().some((node) => node instanceof HTMLElement && /^(BUTTON|A|TEXTAREA)$/.test(node.tagName));
    if (interactive) return;
    if (this.selected === id) this.set(undefined);
    else this.select(id);
  }

  /** Puts the selected message's actions away. */
  readonly clear = (): void => this.set(undefined);

  /** Escape, or another conversation: no actions shown. */
  reset(): void {
    this.active = undefined;
    this.set(undefined);
  }

  private set(id: string | undefined): void {
    if (this.selected === id) return;
    this.selected = id;
    this.host.requestUpdate();
  }

  /** A click beside the messages puts away the actions of the one selected. */
  private readonly onHostClick = (event: Event) => {
    const onMessage = event.composedPath().some((node) => node instanceof HTMLElement && node.classList.contains('message'));
    if (!onMessage) this.clear();
  };
}
