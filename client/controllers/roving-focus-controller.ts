/**
 * The message list as one tab stop (a roving tabindex, issue 16): one
 * message has `tabindex=0` (the last one focused, else the newest), the
 * others -1; the arrow keys, Home and End move focus between messages. Tab
 * from a message goes on to its actions, then out of the list, so a long
 * chat no longer costs a press per message to reach the message box.
 */
import type { ReactiveControllerHost } from 'lit';

/** The messages that take part: rendered `<li class="message" data-message-id>` elements. */
const MESSAGE_SELECTOR = 'li.message[data-message-id]';

export class RovingFocusController {
  /** The message focus was last on. */
  private current: string | undefined;

  constructor(private readonly host: ReactiveControllerHost & LitElementLike) {}

  /** The one message of `ids` (in display order) that is in the tab order. */
  tabStop(ids: readonly string[]): string | undefined {
    return this.current !== undefined && ids.includes(this.current) ? this.current : ids.at(-1);
  }

  /** Focus came to a message (by keyboard, pointer or script): it becomes the tab stop. */
  focused(id: string): void {
    if (this.current === id) return;
    this.current = id;
    this.host.requestUpdate();
  }

  /** Another conversation: back to its newest message. */
  reset(): void {
    this.current = undefined;
  }

  /** Arrow keys, Home and End on a message (not on its buttons) move focus to another message. */
  readonly keydown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0];
    if (!(target instanceof HTMLElement) || !target.matches(MESSAGE_SELECTOR)) return;
    const messages = [...this.host.renderRoot.querySelectorAll<HTMLElement>(MESSAGE_SELECTOR)];
    const index = messages.indexOf(target);
    const next = (() => {
      switch (event.key) {
        case 'ArrowUp':
          return messages[Math.max(0, index - 1)];
        case 'ArrowDown':
          return messages[Math.min(messages.length - 1, index + 1)];
        case 'Home':
          return messages[0];
        case 'End':
          return messages.at(-1);
        default:
          return undefined;
      }
    })();
    if (!next) return;
    event.preventDefault();
    next.focus();
  };
}

/** What the controller needs of its element: where its messages are rendered. */
interface LitElementLike {
  readonly renderRoot: HTMLElement | DocumentFragment;
}
