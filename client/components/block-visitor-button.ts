import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { sites } from '../data/api/site-client.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';

/**
 * "Block visitor" in the header of a widget conversation: asks once, in
 * place, then cuts the visitor off (their token stops working, their chat closes).
 */
@customElement('block-visitor-button')
@localized()
export class BlockVisitorButton extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: inline-flex;
        gap: 6px;
        align-items: center;
      }
      .error {
        margin: 0;
      }
      button.danger {
        background: #c62828;
        border-color: #c62828;
        color: #fff;
      }
    `,
  ];

  @property() conversationId = '';
  @state() private confirming = false;
  @state() private busy = false;
  @state() private outcome: 'blocked' | '' = '';
  @state() private error = '';

  override render() {
    if (this.outcome === 'blocked') return html`<span role="status" data-testid="visitor-blocked">${msg('Visitor blocked')}</span>`;
    if (this.error) return html`<span class="error" role="alert">${this.error}</span>`;
    if (!this.confirming) {
      return html`<button type="button" class="secondary" data-testid="block-visitor" @click=${() => (this.confirming = true)}>${msg('Block visitor')}</button>`;
    }
    return html`<button type="button" class="danger" data-testid="block-visitor-confirm" ?disabled=${this.busy} @click=${this.block}>${msg('Block')}</button>
      <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => (this.confirming = false)}>${msg('Cancel')}</button>`;
  }

  private async block() {
    this.busy = true;
    const result = await sites.blockVisitorOf(this.conversationId);
    this.busy = false;
    this.confirming = false;
    if (result.ok) this.outcome = 'blocked';
    else this.error = failureMessage(this, result, msg('Blocking a visitor'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'block-visitor-button': BlockVisitorButton;
  }
}
