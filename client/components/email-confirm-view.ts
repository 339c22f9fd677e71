import { localized, msg, str } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { account } from '../data/api/account-client.js';
import type { ClientError } from '../data/api/api-client.js';
import { cardStyles, formStyles } from './form-styles.js';

type Outcome = { kind: 'working' } | { kind: 'confirmed'; email: string } | { kind: 'failed'; error: ClientError };

/** 'confirm': the link mailed to a new address; 'revert': the one mailed to the address the account left. */
export type EmailLinkPurpose = 'confirm' | 'revert';

/**
 * The landing page of the links account settings mail: to a new email
 * address (`/confirm-email?token=…`) and to the address an account left
 * (`/revert-email?token=…`, which moves it back). Uses the link once, says
 * which address the account has now; `show-sign-in` when the person continues.
 */
/** Said once the account is back on the address it left. */
function movedBack(email: string): string {
  return msg(str`Your account uses ${email} again. Every device is signed out, and we mailed you a link there to choose a new password.`);
}

@customElement('email-confirm-view')
@localized()
export class EmailConfirmView extends LitElement {
  static override styles = [formStyles, cardStyles];

  @property() token = '';
  @property() purpose: EmailLinkPurpose = 'confirm';
  @state() private outcome: Outcome = { kind: 'working' };
  private usedToken: string | undefined;

  override updated() {
    // Once per token: it is single use, a second call would report it as used.
    if (this.token && this.token !== this.usedToken) {
      this.usedToken = this.token;
      void this.confirm(this.token);
    }
  }

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${this.purpose === 'confirm' ? msg('New email address') : msg('Your email address')}</h1>
        <div data-testid="email-confirm-result" data-state=${this.token ? this.outcome.kind : 'failed'} role="status">
          ${this.renderOutcome()}
        </div>
        <button type="button" data-testid="goto-app" @click=${this.leave}>${msg('Go to Happy Chat')}</button>
      </div>
    `;
  }

  private renderOutcome() {
    if (!this.token) return html`<p class="error">${msg('This link has no token. Open the link from the mail again.')}</p>`;
    switch (this.outcome.kind) {
      case 'working':
        return html`<p class="lead">${this.purpose === 'confirm' ? msg('Confirming your new address…') : msg('Moving your account back…')}</p>`;
      case 'confirmed':
        return this.purpose === 'confirm'
          ? html`<p class="notice">${msg(str`Your account now uses ${this.outcome.email}. Sign in with it from now on.`)}</p>`
          : html`<p class="notice">${movedBack(this.outcome.email)}</p>`;
      case 'failed':
        return html`<p class="error">${this.outcome.error.message}</p>`;
    }
  }

  private async confirm(token: string) {
    const result = this.purpose === 'confirm' ? await account.confirmEmail(token) : await account.revertEmail(token);
    if (token !== this.token) return;
    this.outcome = result.ok ? { kind: 'confirmed', email: result.value.email } : { kind: 'failed', error: result.error };
  }

  private leave() {
    this.dispatchEvent(new CustomEvent('show-sign-in', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'email-confirm-view': EmailConfirmView;
  }
}
