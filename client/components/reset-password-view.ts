import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { PASSWORD_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api/api-client.js';
import { cardStyles, formStyles } from './form-styles.js';
import './password-strength.js';

type Outcome =
  | { kind: 'editing' }
  | { kind: 'working' }
  | { kind: 'done' }
  /** `final` when the link itself is refused (used, unknown, expired): trying again cannot help. */
  | { kind: 'failed'; error: ClientError; final: boolean };

/** Codes after which the token is spent or never was valid. */
const FINAL_ERRORS: ReadonlySet<string> = new Set(['invalid_token', 'token_expired']);

/** The landing page of the password reset link (`/reset?token=…`). Fires `show-sign-in`. */
@customElement('reset-password-view')
@localized()
export class ResetPasswordView extends LitElement {
  static override styles = [formStyles, cardStyles];

  @property() token = '';
  @state() private outcome: Outcome = { kind: 'editing' };
  /** The two passwords differ; checked here because the server sees only one. */
  @state() private mismatch = false;
  /** The new password as typed, for the strength hint. */
  @state() private typed = '';

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('token')) this.outcome = { kind: 'editing' };
  }

  override render() {
    return html`
      <div class="card">
        <div class="brand"><img src="/icons/icon.svg" alt="" />${msg('Happy Chat')}</div>
        <h1>${msg('Choose a new password')}</h1>
        ${this.token ? this.renderBody() : this.renderNoToken()}
      </div>
    `;
  }

  private renderNoToken() {
    return html`
      <div data-testid="reset-result" data-state="failed" role="status">
        <p class="error">${msg('This reset link has no token. Open the link from the mail again.')}</p>
      </div>
      ${this.signInButton(msg('Go to sign in'))}
    `;
  }

  private renderBody() {
    const outcome = this.outcome;
    if (outcome.kind === 'done') {
      return html`
        <div data-testid="reset-result" data-state="done" role="status">
          <p class="notice">${msg('Your password is changed, and every device that was signed in is signed out. Sign in with the new password.')}</p>
        </div>
        ${this.signInButton(msg('Sign in'))}
      `;
    }
    if (outcome.kind === 'failed' && outcome.final) {
      return html`
        <div data-testid="reset-result" data-state="failed" role="status">
          <p class="error">${outcome.error.message}</p>
        </div>
        <p class="lead">${msg('You can ask for a new link from the sign-in screen ("Forgot your password?").')}</p>
        ${this.signInButton(msg('Go to sign in'))}
      `;
    }
    const working = outcome.kind === 'working';
    return html`
      <p class="lead">${msg('The link works once. Afterwards, sign in with the new password.')}</p>
      <form novalidate @submit=${this.submit}>
        <div class="field">
          <label for="password">${msg('New password')}</label>
          <input id="password" name="password" type="password" autocomplete="new-password"
            maxlength=${PASSWORD_MAX_LENGTH} aria-describedby="password-hint" data-testid="reset-password" required
            @input=${this.noteTyping} />
          <password-strength id="password-hint" .password=${this.typed}></password-strength>
        </div>
        <div class="field">
          <label for="confirm">${msg('New password again')}</label>
          <input id="confirm" name="confirm" type="password" autocomplete="new-password"
            maxlength=${PASSWORD_MAX_LENGTH} data-testid="reset-password-confirm" required />
        </div>
        ${this.mismatch ? html`<p class="error" role="alert" data-testid="form-error">${msg('The two passwords are not the same.')}</p>` : null}
        ${
          outcome.kind === 'failed'
            ? html`<div data-testid="reset-result" data-state="failed" role="alert">
              <p class="error">${outcome.error.message}</p>
            </div>`
            : null
        }
        <button type="submit" data-testid="reset-submit" ?disabled=${working}>
          ${working ? msg('Saving…') : msg('Set new password')}
        </button>
      </form>
    `;
  }

  private noteTyping(event: Event) {
    this.typed = (event.target as HTMLInputElement).value;
    // The server's refusal was about the password typed before; the hint now speaks for the new one.
    if (this.outcome.kind === 'failed' && !this.outcome.final) this.outcome = { kind: 'editing' };
  }

  private signInButton(label: string) {
    return html`<button type="button" data-testid="goto-signin" @click=${this.showSignIn}>${label}</button>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.outcome.kind === 'working') return;
    const data = new FormData(event.target as HTMLFormElement);
    const password = String(data.get('password') ?? '');
    this.mismatch = password !== String(data.get('confirm') ?? '');
    if (this.mismatch) return;
    const token = this.token;
    this.outcome = { kind: 'working' };
    const result = await api.resetPassword(token, password);
    if (token !== this.token) return;
    this.outcome = result.ok ? { kind: 'done' } : { kind: 'failed', error: result.error, final: FINAL_ERRORS.has(result.error.error) };
  }

  private showSignIn() {
    this.dispatchEvent(new CustomEvent('show-sign-in', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reset-password-view': ResetPasswordView;
  }
}
