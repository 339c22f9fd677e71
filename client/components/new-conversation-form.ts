import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import { EMAIL_MAX_LENGTH } from '../../shared/limits.js';
import { api, type ClientError } from '../data/api/api-client.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { findFriend } from '../data/people/friend-lookup.js';
import { PeopleController } from '../controllers/people-controller.js';
import { formStyles } from './form-styles.js';
import type { OpenConversationDetail } from './conversation-list.js';

/**
 * Chat with a friend: by their name (or my remark on them), suggested from
 * my friend list and opened offline too, or by their email (asks the
 * server, which allows direct chats between friends only). Fires
 * `open-conversation`, `find-people` (to send a request first), or
 * `session-expired` on a 401.
 */
@customElement('new-conversation-form')
@localized()
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
      .error button {
        min-height: 32px;
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @state() private busy = false;
  @state() private error: (ClientError & { findPeople?: boolean }) | undefined;
  private readonly people = new PeopleController(this, () => this.session);

  override render() {
    const { friends, remarks } = this.people.snapshot;
    return html`
      <form novalidate @submit=${this.submit} aria-label=${msg('Chat with a friend')}>
        <input name="friend" type="text" inputmode="email" autocomplete="off" maxlength=${EMAIL_MAX_LENGTH} list="friend-names"
          placeholder=${msg('Chat with a friend: name or email')} aria-label=${msg('Name or email of the friend to chat with')}
          data-testid="new-conversation-email" required />
        <datalist id="friend-names">
          ${friends.map((f) => html`<option value=${remarks.get(f.id) ?? f.name}></option>`)}
        </datalist>
        <button type="submit" data-testid="new-conversation-submit" ?disabled=${this.busy}>${this.busy ? '…' : msg('Chat')}</button>
      </form>
      ${
        this.error
          ? html`<p class="error" role="alert" data-testid="form-error">
            ${this.error.message}
            ${
              this.error.findPeople
                ? html`<button type="button" class="link" data-testid="find-people" @click=${this.findPeople}>${msg('Find people')}</button>`
                : nothing
            }
          </p>`
          : nothing
      }
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('friend') ?? '').trim();
    if (!text) return;
    this.error = undefined;
    const { friends, remarks } = this.people.snapshot;
    const friend = findFriend(friends, remarks, text);
    if (friend) {
      form.reset();
      this.open(friend.conversationId);
      return;
    }
    if (!text.includes('@')) {
      this.error = { error: 'not_friends', message: msg(str`You have no friend called “${text}”.`), findPeople: true };
      return;
    }
    this.busy = true;
    const result = await api.createConversation({ kind: 'direct', email: text });
    this.busy = false;
    if (!result.ok) {
      if (result.status === 401) {
        this.dispatchEvent(new CustomEvent('session-expired', { bubbles: true, composed: true }));
      }
      this.error =
        result.status === 0
          ? { ...result.error, message: msg('You are offline. Starting a chat by email needs the network; pick a friend by name instead.') }
          : { ...result.error, findPeople: result.error.error === 'not_friends' };
      return;
    }
    form.reset();
    this.open(result.value.id);
  }

  private open(id: string) {
    this.dispatchEvent(new CustomEvent<OpenConversationDetail>('open-conversation', { detail: { id }, bubbles: true, composed: true }));
  }

  private findPeople() {
    this.error = undefined;
    this.dispatchEvent(new CustomEvent('find-people', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'new-conversation-form': NewConversationForm;
  }
}
