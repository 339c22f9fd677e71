import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { EMAIL_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api-client.js';
import { formStyles } from './form-styles.js';
import type { OpenConversationDetail } from './conversation-list.js';

/**
 * Start a direct conversation by the other person's email. Fires
 * `open-conversation` with the new id, or `session-expired` on a 401.
 */
@customElement('new-conversation-form')
export class NewConversationForm extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: block;
        padding: 12px 16px;
        border-bottom: 1px solid var(--hc-border, #dde2ea);
      }
      form {
        display: flex;
        gap: 8px;
      }
      input {
        flex: 1;
        min-width: 0;
      }
      button {
        flex: none;
        padding: 0 14px;
      }
      .error {
        margin: 8px 0 0;
      }
    `,
  ];

  @state() private busy = false;
  @state() private error: ClientError | undefined;

  override render() {
    return html`
      <form novalidate @submit=${this.submit} aria-label="New conversation">
        <input name="email" type="email" inputmode="email" autocomplete="off" maxlength=${EMAIL_MAX_LENGTH}
          placeholder="Start a chat: their email" aria-label="Email of the person to chat with"
          data-testid="new-conversation-email" required />
        <button type="submit" data-testid="new-conversation-submit" ?disabled=${this.busy}>
          ${this.busy ? '…' : 'Start'}
        </button>
      </form>
      ${this.error ? html`<p class="error" role="alert" data-testid="form-error">${this.error.message}</p>` : null}
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const email = String(new FormData(form).get('email') ?? '').trim();
    this.busy = true;
    this.error = undefined;
    const result = await api.createConversation({ kind: 'direct', email });
    this.busy = false;
    if (!result.ok) {
      if (result.status === 401) {
        this.dispatchEvent(new CustomEvent('session-expired', { bubbles: true, composed: true }));
      }
      this.error =
        result.status === 0 ? { ...result.error, message: 'You are offline. Starting a conversation needs the network.' } : result.error;
      return;
    }
    form.reset();
    this.dispatchEvent(
      new CustomEvent<OpenConversationDetail>('open-conversation', {
        detail: { id: result.value.id },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'new-conversation-form': NewConversationForm;
  }
}
