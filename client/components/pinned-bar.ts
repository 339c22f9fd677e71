import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ShownPin } from '../data/messages/pins.js';
import { pinIcon } from './composer-icons.js';
import { snippet } from './message-parts.js';

/** Detail of `pin-open` and `pin-remove`: the pinned message. */
export interface PinDetail {
  id: string;
}

/**
 * The bar over a conversation's messages with its newest pinned message
 * (issue 15): its author and start; a click jumps to it in the list, × unpins
 * it (any member may). Says how many are pinned when there are more. Fires
 * `pin-open` and `pin-remove`.
 */
@customElement('pinned-bar')
@localized()
export class PinnedBar extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 4px;
      padding: 4px 8px 4px 12px;
      background: var(--hc-surface, #fff);
      border-bottom: 1px solid var(--hc-border, #dde2ea);
    }
    .open {
      display: flex;
      flex: 1;
      align-items: center;
      gap: 8px;
      min-width: 0;
      min-height: 40px;
      padding: 0 4px;
      font: inherit;
      text-align: left;
      color: inherit;
      background: none;
      border: 0;
      border-left: 3px solid var(--hc-accent, #2f6fde);
      cursor: pointer;
    }
    .open:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    .icon {
      display: grid;
      flex: none;
      color: var(--hc-accent, #2f6fde);
    }
    .icon svg {
      width: 18px;
      height: 18px;
    }
    .words {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .label {
      font-size: 0.75rem;
      font-weight: 700;
      color: var(--hc-accent-dark, #2459b8);
    }
    .text {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 0.85rem;
    }
    .unpin {
      flex: none;
      min-width: 40px;
      min-height: 40px;
      font-size: 1.2rem;
      color: var(--hc-muted, #5b6472);
      background: none;
      border: 0;
      border-radius: 50%;
      cursor: pointer;
    }
    .unpin:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    button:focus-visible {
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: -3px;
    }
  `;

  @property({ attribute: false }) pin: ShownPin | null = null;
  /** The pinned message's author, as the list names them. */
  @property() author = '';
  /** Unpinning is offered (the conversation can be written to from here). */
  @property({ type: Boolean }) canUnpin = true;

  override render() {
    const shown = this.pin;
    if (!shown) return nothing;
    const { message, count } = shown;
    const text = message.text ? snippet(message.text, 100) : msg('Attachment');
    const label = count > 1 ? msg(str`Pinned message (${count} pinned)`) : msg('Pinned message');
    return html`<button type="button" class="open" data-testid="pinned-bar" @click=${() => this.fire('pin-open')}>
        <span class="icon">${pinIcon}</span>
        <span class="words"><span class="label">${label}</span><span class="text" data-testid="pinned-text">${this.author}: ${text}</span></span>
      </button>
      ${
        this.canUnpin
          ? html`<button type="button" class="unpin" data-testid="pinned-unpin" aria-label=${msg('Unpin')} title=${msg('Unpin')}
            @click=${() => this.fire('pin-remove')}>×</button>`
          : nothing
      }`;
  }

  private fire(type: 'pin-open' | 'pin-remove') {
    const id = this.pin?.message.id;
    if (id) this.dispatchEvent(new CustomEvent<PinDetail>(type, { detail: { id }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pinned-bar': PinnedBar;
  }
}
