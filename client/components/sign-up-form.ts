import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api/api-client.js';
import { cardStyles, formStyles } from './form-styles.js';
import './password-strength.js';

export interface SignedUpDetail {
  email: string;
}

/**
 * Create an account. The server validates (shared/api.ts) and its message is
 * shown as is. Fires `signed-up` with the email, or `show-sign-in`.
 */
@customElement('sign-up-form')
@localized()
export class SignUpForm extends LitElement {
  static override styles = [formStyles, cardStyles];

  /** The group invite (`/join/<code>`) the person came from: the activation mail leads back to it. */
  @property() inviteCode: string | undefined;
  @state() private busy = false;
  @state() private error: ClientError | undefined;
  /** What is typed, for the strength hint: the password and the person's own words. */
  @state() private typed = { name: '', email: '', password: '' };

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${msg('Create your account')}</h1>
        <p class="lead">${msg('We will send you a mail to activate it.')}</p>
        <form novalidate @submit=${this.submit} @input=${this.noteTyping}>
          <div class="field">
            <label for="name">${msg('Name')}</label>
            <input id="name" name="name" autocomplete="name" maxlength=${NAME_MAX_LENGTH}
              data-testid="signup-name" required />
          </div>
          <div class="field">
            <label for="email">${msg('Email')}</label>
            <input id="email" name="email" type="email" autocomplete="email" inputmode="email"
              maxlength=${EMAIL_MAX_LENGTH} data-testid="signup-email" required />
          </div>
          <div class="field">
            <label for="password">${msg('Password')}</label>
            <input id="password" name="password" type="password" autocomplete="new-password"
              maxlength=${PASSWORD_MAX_LENGTH} aria-describedby="password-hint" data-testid="signup-password" required />
            <password-strength id="password-hint" .password=${this.typed.password}
              .personal=${[this.typed.name, this.typed.email]}></password-strength>
          </div>
          ${this.error ? html`<p class="error" role="alert" data-testid="form-error">${this.error.message}</p>` : null}
          <button type="submit" data-testid="signup-submit" ?disabled=${this.busy}>
            ${this.busy ? msg('Creating…') : msg('Create account')}
          </button>
        </form>
        <p class="switch">
          ${msg('Have an account?')}
          <button class="link" type="button" data-testid="goto-signin" @click=${this.showSignIn}>${msg('Sign in')}</button>
        </p>
      </div>
    `;
  }

  private noteTyping(event: Event) {
    const data = new FormData(event.currentTarget as HTMLFormElement);
    // The server's refusal was about what was typed before; the hint below now speaks for the new text.
    if (this.error && String(data.get('password') ?? '') !== this.typed.password) this.error = undefined;
    this.typed = {
      name: String(data.get('name') ?? ''),
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
    };
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(event.target as HTMLFormElement);
    const request = {
      name: String(data.get('name') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
      ...(this.inviteCode ? { invite: this.inviteCode } : {}),
    };
    this.busy = true;
    this.error = undefined;
    const result = await api.register(request);
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.dispatchEvent(new CustomEvent<SignedUpDetail>('signed-up', { detail: { email: request.email }, bubbles: true, composed: true }));
  }

  private showSignIn() {
    this.dispatchEvent(new CustomEvent('show-sign-in', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sign-up-form': SignUpForm;
  }
}
