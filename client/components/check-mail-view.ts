import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cardStyles, formStyles } from './form-styles.js';
import './resend-activation.js';

/** After sign-up: tells the person to open the activation link; offers a resend. */
@customElement('check-mail-view')
@localized()
export class CheckMailView extends LitElement {
  static override styles = [formStyles, cardStyles];

  @property() email = '';

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${msg('Check your mail')}</h1>
        <p class="lead" data-testid="check-mail">
          ${msg(html`We sent an activation link to <strong>${this.email}</strong>. Open it to activate your account, then sign in.`)}
        </p>
        <resend-activation .email=${this.email}></resend-activation>
        <p class="switch">
          ${msg('Activated already?')}
          <button class="link" type="button" data-testid="goto-signin" @click=${this.showSignIn}>${msg('Sign in')}</button>
        </p>
      </div>
    `;
  }

  private showSignIn() {
    this.dispatchEvent(new CustomEvent('show-sign-in', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'check-mail-view': CheckMailView;
  }
}
