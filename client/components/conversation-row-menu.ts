import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ListState } from '../../shared/list-state.js';
import { moreIcon } from './composer-icons.js';
import type { ListAction } from '../data/messages/list-states.js';

/** Mute lives on the server (muted-conversations.ts), the rest in my user document (list-states.ts). */
export type RowAction = ListAction | 'mute' | 'unmute';

export interface ListActionDetail {
  action: RowAction;
}

/** Room the menu needs under its button; less than this left in the window and it opens upwards. */
const MENU_HEIGHT_PX = 200;

/**
 * A conversation row's "More" button and its menu (issue 15): pin or unpin,
 * archive or unarchive, mark unread or read, mute or unmute (offered once
 * the mutes are known: `muted` undefined hides them). The WAI-ARIA menu button
 * pattern: Enter, Space or ArrowDown open it on the first item, arrows move,
 * Escape closes it with focus back on the button, Tab or a click elsewhere
 * closes it. The list opens it too on a long press or a right click of the
 * row (`openMenu`). Fires `list-action` ({action}).
 */
@customElement('conversation-row-menu')
@localized()
export class ConversationRowMenu extends LitElement {
  static override styles = css`
    :host {
      position: relative;
      display: flex;
      align-items: center;
    }
    .more {
      width: 36px;
      height: 36px;
      padding: 0;
      font: inherit;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      color: var(--hc-muted, #5b6472);
      background: none;
      border: 0;
      border-radius: 50%;
      cursor: pointer;
    }
    .more:hover,
    .more[aria-expanded='true'] {
      background: var(--hc-bg, #f3f5f9);
    }
    .more:focus-visible,
    [role='menuitem']:focus-visible {
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: -3px;
    }
    [role='menu'] {
      position: absolute;
      z-index: 5;
      top: 100%;
      right: 4px;
      display: flex;
      flex-direction: column;
      min-width: 180px;
      padding: 4px 0;
      background: var(--hc-surface, #fff);
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 10px;
      box-shadow: 0 6px 20px rgb(0 0 0 / 0.16);
    }
    [role='menu'].up {
      top: auto;
      bottom: 100%;
    }
    [role='menuitem'] {
      min-height: 44px;
      padding: 0 16px;
      font: inherit;
      text-align: left;
      color: inherit;
      background: none;
      border: 0;
      cursor: pointer;
    }
    [role='menuitem']:hover {
      background: var(--hc-bg, #f3f5f9);
    }
  `;

  /** The conversation's name, for the button's label. */
  @property() label = '';
  @property({ attribute: false }) listState: ListState = {};
  /** Unread messages there: "Mark as unread" is offered only when there are none. */
  @property({ type: Number }) unreadCount = 0;
  /** Whether the conversation is muted; undefined while this device has never heard (no Mute item then). */
  @property({ attribute: false }) muted: boolean | undefined;
  @state() private open = false;
  @state() private upwards = false;

  override render() {
    return html`<button type="button" class="more" data-testid="conversation-menu" aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'} aria-label=${msg(str`More actions for ${this.label}`)}
        @click=${this.toggle} @keydown=${this.buttonKey}>${moreIcon}</button>
      ${this.open ? this.menu() : nothing}`;
  }

  /** Puts the focus on the "More" button (after an action moved the row). */
  focusButton(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('.more')?.focus();
  }

  /** Opens the menu with focus on its first item (a long press, a right click, a key on the row). */
  openMenu(): void {
    this.upwards = this.getBoundingClientRect().bottom + MENU_HEIGHT_PX > window.innerHeight;
    this.open = true;
    void this.updateComplete.then(() => this.items()[0]?.focus());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.outside, true);
  }

  protected override updated(): void {
    if (this.open) document.addEventListener('pointerdown', this.outside, true);
    else document.removeEventListener('pointerdown', this.outside, true);
  }

  private menu() {
    const s = this.listState;
    const entries: Array<[RowAction, string]> = [];
    if (!s.archived) entries.push(s.pinnedAt === undefined ? ['pin', msg('Pin to top')] : ['unpin', msg('Unpin')]);
    entries.push(s.archived ? ['unarchive', msg('Unarchive')] : ['archive', msg('Archive')]);
    if (s.unread) entries.push(['mark-read', msg('Mark as read')]);
    else if (this.unreadCount === 0) entries.push(['mark-unread', msg('Mark as unread')]);
    if (this.muted !== undefined) entries.push(this.muted ? ['unmute', msg('Unmute')] : ['mute', msg('Mute')]);
    return html`<div role="menu" class=${this.upwards ? 'up' : ''} aria-label=${msg(str`Actions for ${this.label}`)}
      data-testid="conversation-menu-items" @keydown=${this.menuKey} @focusout=${this.focusLeft}>
      ${entries.map(
        ([action, text]) =>
          html`<button type="button" role="menuitem" tabindex="-1" data-action=${action} data-testid="conversation-action"
            @click=${() => this.choose(action)}>${text}</button>`,
      )}
    </div>`;
  }

  private items(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  private toggle(event: MouseEvent): void {
    // The row under it must not open the conversation.
    event.stopPropagation();
    if (this.open) this.close(true);
    else this.openMenu();
  }

  private buttonKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' || this.open) return;
    event.preventDefault();
    this.openMenu();
  }

  private menuKey(event: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(this.renderRoot.querySelector<HTMLButtonElement>('[role="menuitem"]:focus') ?? items[0]);
    const move: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (event.key in move) {
      event.preventDefault();
      items[(move[event.key] + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      // The phone's Escape-goes-back-to-the-list must not see it.
      event.stopPropagation();
      this.close(true);
    } else if (event.key === 'Tab') {
      this.close(false);
    }
  }

  private readonly focusLeft = (event: FocusEvent) => {
    const to = event.relatedTarget as Node | null;
    if (to && this.renderRoot.contains(to)) return;
    if (to !== null) this.close(false);
  };

  private readonly outside = (event: PointerEvent) => {
    if (!event.composedPath().includes(this)) this.close(false);
  };

  private choose(action: RowAction): void {
    this.close(true);
    this.dispatchEvent(new CustomEvent<ListActionDetail>('list-action', { detail: { action }, bubbles: true, composed: true }));
  }

  private close(focusButton: boolean): void {
    this.open = false;
    if (focusButton) this.focusButton();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-row-menu': ConversationRowMenu;
  }
}
