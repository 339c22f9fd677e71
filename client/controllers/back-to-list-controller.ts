/**
 * Leaving an open conversation (issue 16). On a phone, where one pane shows
 * at a time, Escape goes back to the list as the Back button does, unless
 * something inside used the key first (the message actions, a reply, the
 * editor, the emoji picker, a picture's dialog: they call preventDefault or
 * stop it). Either way focus then lands on that conversation's row, not on
 * the top of the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** When one pane shows at a time (chat-home-styles' breakpoint). */
const ONE_PANE_QUERY = '(max-width: 767px)';

export class BackToListController implements ReactiveController {
  /** The conversation just left, whose row takes focus once the list shows. */
  private rowToFocus: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The open conversation's id, if any. */
    private readonly openId: () => string | undefined,
    /** Focuses a conversation's row in the list (when the list is there). */
    private readonly focusRow: (id: string) => void,
  ) {
    host.addController(this);
  }

  /** For the open conversation's keydown: Escape on a phone closes it. */
  readonly keydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing || !window.matchMedia(ONE_PANE_QUERY).matches) return;
    if (event.composedPath().some((node) => node instanceof HTMLDialogElement)) return;
    event.preventDefault();
    this.leaving();
    this.host.dispatchEvent(new CustomEvent('close-conversation', { bubbles: true, composed: true }));
  };

  /** The conversation is being closed (Back, Escape): remember its row. */
  readonly leaving = (): void => {
    this.rowToFocus = this.openId();
  };

  hostUpdated(): void {
    const id = this.rowToFocus;
    if (!id || this.openId()) return;
    this.rowToFocus = undefined;
    this.focusRow(id);
  }
}
