import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../data/api/api-client.js';
import { mailRequestStyles } from './form-styles.js';

/** A button that asks the server to send the activation mail again. */
@customElement('resend-activation')
@localized()
export class ResendActivation extends LitElement {
  static override styles = [
    ...mailRequestStyles,
    css`
      :host {
        display: block;
        margin-top: 10px;
      }
    `,
  ];

  @property() email = '';
  @state() private sending = false;
  @state() private result: { ok: boolean; text: string } | undefined;

  override render() {
    return html`
      <button class="secondary" type="button" data-testid="resend-activation" ?disabled=${this.sending} @click=${this.resend}>
        ${this.sending ? msg('Sending…') : msg('Resend activation mail')}
      </button>
      ${this.result ? html`<p class=${this.result.ok ? 'sent' : 'error'} role="status">${this.result.text}</p>` : null}
    `;
  }

  private async resend() {
    this.sending = true;
    this.result = undefined;
    const result = await api.resendActivation(this.email);
    this.sending = false;
    this.result = result.ok
      ? { ok: true, text: msg(str`We sent a new activation mail to ${this.email}.`) }
      : { ok: false, text: result.error.message };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'resend-activation': ResendActivation;
  }
}
