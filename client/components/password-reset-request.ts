import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { EMAIL_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api/api-client.js';
import { mailRequestStyles } from './form-styles.js';

/**
 * "Forgot your password?": asks the server to mail a reset link. The server
 * answers the same whether or not the account exists, and so does this form.
 */
@customElement('password-reset-request')
@localized()
export class PasswordResetRequest extends LitElement {
  static override styles = [
    ...mailRequestStyles,
    css`
      :host {
        display: block;
        margin-top: 12px;
        color: var(--hc-text, #1d2430);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 8px;
      }
      .field {
        flex: 1 1 200px;
        margin: 0;
      }
    `,
  ];

  /** Prefilled from the sign-in form. */
  @property() email = '';
  @state() private sending = false;
  @state() private sentTo: string | undefined;
  @state() private error: ClientError | undefined;

  override render() {
    return html`
      <form novalidate @submit=${this.submit}>
        <div class="field">
          <label for="reset-email">${msg('Email for the reset link')}</label>
          <input id="reset-email" name="email" type="email" autocomplete="username" inputmode="email"
            maxlength=${EMAIL_MAX_LENGTH} .value=${this.email} data-testid="reset-request-email" required />
        </div>
        <button class="secondary" type="submit" data-testid="reset-request-submit" ?disabled=${this.sending}>
          ${this.sending ? msg('Sending…') : msg('Send link')}
        </button>
      </form>
      ${
        this.sentTo
          ? html`<p class="sent" role="status" data-testid="reset-request-sent">
            ${msg(str`If an account exists for ${this.sentTo}, we sent a link to choose a new password. It works once, within an hour.`)}
          </p>`
          : null
      }
      ${this.error ? html`<p class="error" role="alert">${this.error.message}</p>` : null}
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.sending) return;
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    this.sending = true;
    this.sentTo = undefined;
    this.error = undefined;
    const result = await api.requestPasswordReset(email);
    this.sending = false;
    if (result.ok) this.sentTo = email;
    else this.error = result.error;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'password-reset-request': PasswordResetRequest;
  }
}
