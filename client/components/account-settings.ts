/**
 * "Account" in the profile sheet (issue 15): change the password (the
 * current one is asked for again, and every other device is signed out),
 * change the email (a link goes to the new address; nothing changes until it is used), and
 * the list of my sessions with device and last use, to sign out one of them or
 * all others, and deleting the account (`account-deleted` once done). What
 * each step ends is the server's rule (docs/SECURITY.md, docs/ACCOUNTS.md).
 */
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SessionView } from '../../shared/api.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../../shared/limits.js';
import { account } from '../data/api/account-client.js';
import type { ApiResult } from '../data/api/api-client.js';
import { relativeTime } from '../i18n/formats.js';
import { failureMessage } from './api-failure.js';
import { settingsSectionStyles } from './form-styles.js';
import './password-strength.js';

/** The server names devices "<browser> on <system>" in English; the words around the names are ours to translate. */
function deviceLabel(device: string | undefined): string {
  if (!device) return msg('An earlier sign-in');
  const named = /^(.+) on (.+)$/.exec(device);
  return named ? msg(str`${named[1]} on ${named[2]}`) : device;
}

/** What deleting the account does, said before the person confirms (docs/ACCOUNTS.md). */
function whatDeletionDoes(): string {
  return msg(
    'Your name, picture and password are erased and every device is signed out. You leave your groups (a group you own passes to its longest-standing admin or member). Your messages stay in their conversations, shown as from a deleted account. This cannot be undone.',
  );
}

@customElement('account-settings')
@localized()
export class AccountSettings extends LitElement {
  static override styles = [
    ...settingsSectionStyles,
    css`
      section + section {
        margin-top: 24px;
      }
      ul {
        list-style: none;
        margin: 0 0 12px;
        padding: 0;
      }
      li {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 8px 0;
        border-bottom: 1px solid var(--hc-border, #e3e6eb);
      }
      .device {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .when {
        display: block;
        color: var(--hc-muted, #5b6472);
        font-size: 0.875rem;
      }
      .this {
        color: var(--hc-ok, #1e8e4f);
        font-size: 0.875rem;
        white-space: nowrap;
      }
      .done {
        color: var(--hc-ok, #1e8e4f);
      }
      .hint {
        margin: 0 0 12px;
        color: var(--hc-muted, #5b6472);
      }
      .check {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: var(--hc-touch, 44px);
        margin: 0 0 12px;
      }
      .check input {
        width: 20px;
        height: 20px;
        margin: 0;
        flex: none;
      }
      /* Outlined: the danger colour as text keeps its contrast in both themes. */
      button.danger {
        color: var(--hc-danger, #c0392b);
        background: var(--hc-surface, #fff);
        border-color: var(--hc-danger, #c0392b);
      }
      button.danger:hover {
        background: var(--hc-danger-soft, #fdecea);
      }
      /* A long email address must wrap inside a 360 px screen. */
      .done,
      .error {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @state() private typed = '';
  @state() private passwordBusy = false;
  @state() private passwordError = '';
  @state() private passwordDone = false;
  @state() private emailBusy = false;
  @state() private emailError = '';
  /** The address a confirmation link was just sent to. */
  @state() private emailSentTo = '';
  @state() private sessions: SessionView[] | undefined;
  @state() private sessionsError = '';
  @state() private sessionsBusy = false;
  @state() private deleteBusy = false;
  @state() private deleteError = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.loadSessions();
  }

  override render() {
    return html`<section data-testid="change-password">
        <h3>${msg('Change password')}</h3>
        <form novalidate @submit=${this.changePassword}>
          <div class="field">
            <label for="current-password">${msg('Current password')}</label>
            <input id="current-password" name="current" type="password" autocomplete="current-password" required
              maxlength=${PASSWORD_MAX_LENGTH} data-testid="current-password" />
          </div>
          <div class="field">
            <label for="new-password">${msg('New password')}</label>
            <input id="new-password" name="password" type="password" autocomplete="new-password" required
              maxlength=${PASSWORD_MAX_LENGTH} aria-describedby="new-password-hint" data-testid="new-password"
              @input=${(event: Event) => {
                this.typed = (event.target as HTMLInputElement).value;
              }} />
            <password-strength id="new-password-hint" .password=${this.typed}></password-strength>
          </div>
          ${this.passwordError ? html`<p class="error" role="alert" data-testid="password-error">${this.passwordError}</p>` : nothing}
          ${
            this.passwordDone
              ? html`<p class="done" role="status" data-testid="password-changed">${msg('Password changed. Your other devices are signed out.')}</p>`
              : nothing
          }
          <button type="submit" data-testid="change-password-submit" ?disabled=${this.passwordBusy}>
            ${this.passwordBusy ? msg('Saving…') : msg('Change password')}
          </button>
        </form>
      </section>
      <section data-testid="change-email">
        <h3>${msg('Change email')}</h3>
        <form novalidate @submit=${this.changeEmail}>
          <div class="field">
            <label for="new-email">${msg('New email address')}</label>
            <input id="new-email" name="email" type="email" autocomplete="email" required maxlength=${EMAIL_MAX_LENGTH}
              data-testid="new-email" />
          </div>
          <div class="field">
            <label for="email-password">${msg('Current password')}</label>
            <input id="email-password" name="current" type="password" autocomplete="current-password" required
              maxlength=${PASSWORD_MAX_LENGTH} data-testid="email-current-password" />
          </div>
          ${this.emailError ? html`<p class="error" role="alert" data-testid="email-error">${this.emailError}</p>` : nothing}
          ${
            this.emailSentTo
              ? html`<p class="done" role="status" data-testid="email-link-sent">${msg(str`We sent a link to ${this.emailSentTo}. Your address changes when you open it.`)}</p>`
              : nothing
          }
          <button type="submit" data-testid="change-email-submit" ?disabled=${this.emailBusy}>
            ${this.emailBusy ? msg('Sending…') : msg('Send confirmation link')}
          </button>
        </form>
      </section>
      <section data-testid="my-sessions">
        <h3>${msg('Signed-in devices')}</h3>
        ${this.renderSessions()}
      </section>
      <section data-testid="delete-account">
        <h3>${msg('Delete account')}</h3>
        <p class="hint" id="delete-account-what">${whatDeletionDoes()}</p>
        <form novalidate @submit=${this.deleteAccount} aria-describedby="delete-account-what">
          <div class="field">
            <label for="delete-password">${msg('Current password')}</label>
            <input id="delete-password" name="current" type="password" autocomplete="current-password" required
              maxlength=${PASSWORD_MAX_LENGTH} data-testid="delete-current-password" />
          </div>
          <label class="check">
            <input type="checkbox" name="understood" required data-testid="delete-understood" @change=${() => (this.deleteError = '')} />
            ${msg('I understand that my account cannot be restored.')}
          </label>
          ${this.deleteError ? html`<p class="error" role="alert" data-testid="delete-error">${this.deleteError}</p>` : nothing}
          <button type="submit" class="danger" data-testid="delete-account-submit" ?disabled=${this.deleteBusy}>
            ${this.deleteBusy ? msg('Deleting…') : msg('Delete my account')}
          </button>
        </form>
      </section>`;
  }

  private renderSessions() {
    if (this.sessionsError) return html`<p class="error" role="alert">${this.sessionsError}</p>`;
    if (!this.sessions) return html`<p>${msg('Loading…')}</p>`;
    const others = this.sessions.filter((session) => !session.current);
    return html`<ul>
        ${this.sessions.map(
          (session) => html`<li data-testid="session-row" data-current=${session.current ? 'yes' : 'no'}>
            <span class="device">${deviceLabel(session.device)}
              <span class="when">${this.lastUse(session)}</span></span>
            ${
              session.current
                ? html`<span class="this">${msg('This device')}</span>`
                : html`<button type="button" class="secondary" data-testid="end-session" ?disabled=${this.sessionsBusy}
                    @click=${() => this.endSession(session.id)}>${msg('Sign out')}</button>`
            }
          </li>`,
        )}
      </ul>
      ${
        others.length > 0
          ? html`<button type="button" class="secondary" data-testid="end-other-sessions" ?disabled=${this.sessionsBusy}
              @click=${this.endOthers}>${msg('Sign out all other devices')}</button>`
          : html`<p data-testid="no-other-sessions">${msg('No other device is signed in.')}</p>`
      }`;
  }

  private lastUse(session: SessionView): string {
    if (session.lastUsedAt === undefined) return '';
    return msg(str`Last used ${relativeTime(new Date(session.lastUsedAt))}`);
  }

  private async loadSessions() {
    const result = await account.sessions();
    if (result.ok) {
      this.sessions = result.value.sessions;
      this.sessionsError = '';
    } else {
      this.sessionsError = failureMessage(this, result, msg('Seeing your devices'));
    }
  }

  private async changePassword(event: SubmitEvent) {
    event.preventDefault();
    if (this.passwordBusy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.passwordBusy = true;
    this.passwordError = '';
    this.passwordDone = false;
    const result = await account.changePassword(String(data.get('current') ?? ''), String(data.get('password') ?? ''));
    this.passwordBusy = false;
    if (!result.ok) {
      this.passwordError = failureMessage(this, result, msg('Changing your password'));
      return;
    }
    form.reset();
    this.typed = '';
    this.passwordDone = true;
    await this.loadSessions();
  }

  private async changeEmail(event: SubmitEvent) {
    event.preventDefault();
    if (this.emailBusy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    this.emailBusy = true;
    this.emailError = this.emailSentTo = '';
    const result = await account.requestEmailChange(email, String(data.get('current') ?? ''));
    this.emailBusy = false;
    if (!result.ok) {
      this.emailError = failureMessage(this, result, msg('Changing your email'));
      return;
    }
    form.reset();
    this.emailSentTo = email;
  }

  private async deleteAccount(event: SubmitEvent) {
    event.preventDefault();
    if (this.deleteBusy) return;
    const data = new FormData(event.target as HTMLFormElement);
    if (!data.get('understood')) {
      this.deleteError = msg('Tick the box to confirm that you understand.');
      return;
    }
    this.deleteBusy = true;
    this.deleteError = '';
    const result = await account.deleteAccount(String(data.get('current') ?? ''));
    this.deleteBusy = false;
    if (!result.ok) {
      this.deleteError = failureMessage(this, result, msg('Deleting your account'));
      return;
    }
    this.dispatchEvent(new CustomEvent('account-deleted', { bubbles: true, composed: true }));
  }

  private async endSession(id: string) {
    await this.whileBusy(() => account.endSession(id));
  }

  private async endOthers() {
    await this.whileBusy(() => account.endOtherSessions());
  }

  private async whileBusy(step: () => Promise<ApiResult<unknown>>) {
    this.sessionsBusy = true;
    const result = await step();
    this.sessionsBusy = false;
    // A session another device ended meanwhile (404) is gone either way: the list is read again.
    if (!result.ok && result.status !== 404) {
      this.sessionsError = failureMessage(this, result, msg('Signing a device out'));
      return;
    }
    await this.loadSessions();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'account-settings': AccountSettings;
  }
}
