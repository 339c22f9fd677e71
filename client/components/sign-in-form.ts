import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Me } from '../../shared/api.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api/api-client.js';
import { cardStyles, formStyles } from './form-styles.js';
import { mayFocusFieldUnasked } from './initial-focus.js';
import './language-setting.js';
import './password-reset-request.js';
import './resend-activation.js';

export interface SignedInDetail {
  me: Me;
}

/**
 * Sign in with email and password. Fires `signed-in` with the person, or
 * `show-sign-up` (or `sign-in-cancel` when `reauth`). An account that is not activated yet is offered a new mail;
 * "Forgot your password?" opens the request for a reset link.
 */
@customElement('sign-in-form')
@localized()
export class SignInForm extends LitElement {
  static override styles = [formStyles, cardStyles];

  /** Prefilled email (e.g. after activation or when a session ended). */
  @property() email = '';
  /** A note above the form, e.g. why the person must sign in again. */
  @property() notice = '';
  /** Signing in again after the session ended: offer "Not now" instead of sign-up. */
  @property({ type: Boolean }) reauth = false;
  @state() private busy = false;
  @state() private error: ClientError | undefined;
  /** The reset request is open, prefilled with the email typed when it was opened. */
  @state() private forgotEmail: string | undefined;

  /** Nothing to do here but sign in: the first empty field takes focus (keyboard users start typing). */
  protected override firstUpdated() {
    if (!mayFocusFieldUnasked()) return;
    const field = this.renderRoot.querySelector<HTMLInputElement>(this.email ? '#password' : '#email');
    field?.focus();
  }

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${msg('Sign in')}</h1>
        <p class="lead">${msg('Welcome back.')}</p>
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : null}
        <form novalidate @submit=${this.submit}>
          <div class="field">
            <label for="email">${msg('Email')}</label>
            <input id="email" name="email" type="email" autocomplete="username" inputmode="email"
              maxlength=${EMAIL_MAX_LENGTH} .value=${this.email} data-testid="signin-email" required />
          </div>
          <div class="field">
            <label for="password">${msg('Password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password"
              maxlength=${PASSWORD_MAX_LENGTH} data-testid="signin-password" required />
          </div>
          ${
            this.error
              ? html`<div class="error" role="alert">
                <span data-testid="form-error">${this.error.message}</span>
                ${this.error.error === 'not_activated' ? html`<resend-activation .email=${this.currentEmail()}></resend-activation>` : null}
              </div>`
              : null
          }
          <button type="submit" data-testid="signin-submit" ?disabled=${this.busy}>
            ${this.busy ? msg('Signing in…') : msg('Sign in')}
          </button>
        </form>
        <p class="switch">
          <button class="link" type="button" data-testid="forgot-password" aria-expanded=${this.forgotEmail === undefined ? 'false' : 'true'}
            @click=${this.toggleForgot}>${msg('Forgot your password?')}</button>
        </p>
        ${this.forgotEmail === undefined ? null : html`<password-reset-request .email=${this.forgotEmail}></password-reset-request>`}
        ${
          this.reauth
            ? html`<p class="switch">
              <button class="link" type="button" data-testid="signin-cancel" @click=${this.cancel}>${msg('Not now')}</button>
            </p>`
            : html`<p class="switch">
              ${msg('New here?')}
              <button class="link" type="button" data-testid="goto-signup" @click=${this.showSignUp}>${msg('Create an account')}</button>
            </p>`
        }
        <language-setting compact></language-setting>
      </div>
    `;
  }

  private toggleForgot() {
    this.forgotEmail = this.forgotEmail === undefined ? this.currentEmail() : undefined;
  }

  private currentEmail(): string {
    return this.renderRoot.querySelector<HTMLInputElement>('#email')?.value.trim() ?? this.email;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    this.busy = true;
    this.error = undefined;
    const result = await api.login({ email, password });
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.dispatchEvent(new CustomEvent<SignedInDetail>('signed-in', { detail: { me: result.value }, bubbles: true, composed: true }));
  }

  private cancel() {
    this.dispatchEvent(new CustomEvent('sign-in-cancel', { bubbles: true, composed: true }));
  }

  private showSignUp() {
    this.dispatchEvent(new CustomEvent('show-sign-up', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sign-in-form': SignInForm;
  }
}
