import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/**
 * A short note over the bottom of the conversation ("Copied", "Forwarded"),
 * read out politely; the view clears `text` after a moment. The status
 * element stays on the page, so a screen reader hears each new text.
 */
@customElement('chat-toast')
export class ChatToast extends LitElement {
  static override styles = css`
    :host {
      position: absolute;
      left: 50%;
      bottom: 84px;
      z-index: 5;
      transform: translateX(-50%);
      max-width: calc(100% - 32px);
      pointer-events: none;
    }
    div:not(:empty) {
      padding: 8px 16px;
      font-size: 0.9rem;
      color: var(--hc-on-fill, #fff);
      background: var(--hc-text, #1d2330);
      border-radius: 999px;
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.2);
      overflow-wrap: anywhere;
    }
  `;

  @property() text = '';

  override render() {
    return html`<div role="status" data-testid="chat-toast">${this.text}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-toast': ChatToast;
  }
}
