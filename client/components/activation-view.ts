import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type ClientError } from '../data/api/api-client.js';
import { cardStyles, formStyles } from './form-styles.js';

type Outcome = { kind: 'working' } | { kind: 'activated' } | { kind: 'failed'; error: ClientError };

/** The landing page of the activation link (`/activate?token=…`). Fires `show-sign-in`. */
@customElement('activation-view')
export class ActivationView extends LitElement {
  static override styles = [formStyles, cardStyles];

  @property() token = '';
  @state() private outcome: Outcome = { kind: 'working' };
  private activatedToken: string | undefined;

  override updated() {
    // Once per token: the token is single use, a second call would report it as used.
    if (this.token && this.token !== this.activatedToken) {
      this.activatedToken = this.token;
      void this.activate(this.token);
    }
  }

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />Happy Chat</div>
        <h1>Account activation</h1>
        <div data-testid="activation-result" data-state=${this.token ? this.outcome.kind : 'failed'} role="status">
          ${this.renderOutcome()}
        </div>
        ${this.token && this.outcome.kind === 'working'
          ? null
          : html`<button type="button" data-testid="goto-signin" @click=${this.showSignIn}>Go to sign in</button>`}
      </div>
    `;
  }

  private renderOutcome() {
    if (!this.token) return html`<p class="error">This activation link has no token. Open the link from the mail again.</p>`;
    switch (this.outcome.kind) {
      case 'working':
        return html`<p class="lead">Activating your account…</p>`;
      case 'activated':
        return html`<p class="notice">Your account is active. You can sign in now.</p>`;
      case 'failed':
        return html`<p class="error">${this.outcome.error.message}</p>`;
    }
  }

  private async activate(token: string) {
    this.outcome = { kind: 'working' };
    const result = await api.activate(token);
    this.outcome = result.ok ? { kind: 'activated' } : { kind: 'failed', error: result.error };
  }

  private showSignIn() {
    this.dispatchEvent(new CustomEvent('show-sign-in', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'activation-view': ActivationView;
  }
}
