import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Me } from '../../shared/api.js';
import { api, type ClientError } from '../data/api/api-client.js';
import type { SignedInDetail } from './sign-in-form.js';
import { cardStyles, formStyles } from './form-styles.js';

type Outcome = { kind: 'working' } | { kind: 'activated'; me: Me } | { kind: 'failed'; error: ClientError };

/** `leave-activation`: where the person goes from here (the group they were invited to, or their chats). */
export interface LeaveActivationDetail {
  joinCode: string | undefined;
}

/**
 * The landing page of the activation link (`/activate?token=…&join=…`).
 * Activation signs the person in (issue 15): fires `signed-in`, then
 * `leave-activation` when they continue (to the invite they signed up from,
 * if any); `show-sign-in` when the link failed.
 */
@customElement('activation-view')
@localized()
export class ActivationView extends LitElement {
  static override styles = [formStyles, cardStyles];

  @property() token = '';
  /** The invite code the person signed up from (`&join=`), if any. */
  @property() joinCode: string | undefined;
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
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${msg('Account activation')}</h1>
        <div data-testid="activation-result" data-state=${this.token ? this.outcome.kind : 'failed'} role="status">
          ${this.renderOutcome()}
        </div>
        ${this.renderAction()}
      </div>
    `;
  }

  private renderOutcome() {
    if (!this.token) return html`<p class="error">${msg('This activation link has no token. Open the link from the mail again.')}</p>`;
    switch (this.outcome.kind) {
      case 'working':
        return html`<p class="lead">${msg('Activating your account…')}</p>`;
      case 'activated':
        return html`<p class="notice">${this.joinCode ? msg('Your account is active, and you are signed in. Your invite is waiting.') : msg('Your account is active, and you are signed in.')}</p>`;
      case 'failed':
        return html`<p class="error">${this.outcome.error.message}</p>`;
    }
  }

  private renderAction() {
    if (this.token && this.outcome.kind === 'working') return null;
    if (this.outcome.kind === 'activated') {
      return html`<button type="button" data-testid="activation-continue" @click=${this.continue}>
        ${this.joinCode ? msg('See the invite') : msg('Open Happy Chat')}
      </button>`;
    }
    return html`<button type="button" data-testid="goto-signin" @click=${this.showSignIn}>${msg('Go to sign in')}</button>`;
  }

  private async activate(token: string) {
    this.outcome = { kind: 'working' };
    const result = await api.activate(token);
    this.outcome = result.ok ? { kind: 'activated', me: result.value } : { kind: 'failed', error: result.error };
    if (result.ok) {
      this.dispatchEvent(new CustomEvent<SignedInDetail>('signed-in', { detail: { me: result.value }, bubbles: true, composed: true }));
    }
  }

  private continue() {
    this.dispatchEvent(
      new CustomEvent<LeaveActivationDetail>('leave-activation', { detail: { joinCode: this.joinCode }, bubbles: true, composed: true }),
    );
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
