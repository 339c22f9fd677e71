import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChatSession } from '../data/chat-session.js';
import { formStyles } from './form-styles.js';
import './chat-view.js';
import './conversation-list.js';
import './new-conversation-form.js';
import './sync-status.js';

/**
 * The signed-in screen: header (sync status, person, sign out), conversation
 * list and the open conversation. Two panes on wide screens; one at a time on
 * narrow ones. Fires `sign-out`.
 */
@customElement('chat-home')
export class ChatHome extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-columns: minmax(0, 1fr);
        overflow: hidden;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 12px;
        min-height: 52px;
        padding: 4px 8px 4px 16px;
        padding-top: max(4px, env(safe-area-inset-top, 0px));
        background: var(--hc-surface, #fff);
        border-bottom: 1px solid var(--hc-border, #dde2ea);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 8px;
        font-weight: 700;
        color: var(--hc-accent, #2f6fde);
      }
      .brand img {
        width: 28px;
        height: 28px;
      }
      .spacer {
        flex: 1;
      }
      .me {
        max-width: 30vw;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-weight: 600;
      }
      .panes {
        display: grid;
        grid-template-columns: minmax(260px, 340px) minmax(0, 1fr);
        min-height: 0;
      }
      .list {
        display: flex;
        flex-direction: column;
        min-height: 0;
        background: var(--hc-surface, #fff);
        border-right: 1px solid var(--hc-border, #dde2ea);
      }
      conversation-list {
        flex: 1;
        overflow-y: auto;
      }
      chat-view {
        min-height: 0;
      }
      @media (max-width: 767px) {
        .brand span {
          display: none;
        }
        .me {
          max-width: 24vw;
        }
        .panes {
          grid-template-columns: minmax(0, 1fr);
        }
        .list {
          border-right: 0;
        }
        :host([data-pane='chat']) .list,
        :host([data-pane='list']) chat-view {
          display: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) session: ChatSession | undefined;
  @property() conversationId: string | undefined;

  protected override willUpdate() {
    this.dataset.pane = this.conversationId ? 'chat' : 'list';
  }

  override render() {
    const me = this.session?.me;
    return html`
      <header class="bar">
        <div class="brand"><img src="/icons/icon.svg" alt="" /><span>Happy Chat</span></div>
        <sync-status .session=${this.session}></sync-status>
        <div class="spacer"></div>
        <span class="me" data-testid="current-user" title=${me?.email ?? ''}>${me?.name ?? ''}</span>
        <button class="secondary" type="button" data-testid="signout" @click=${this.signOut}>Sign out</button>
      </header>
      <div class="panes">
        <nav class="list" aria-label="Conversations">
          <new-conversation-form></new-conversation-form>
          <conversation-list .session=${this.session} .selectedId=${this.conversationId}></conversation-list>
        </nav>
        <chat-view .session=${this.session} .conversationId=${this.conversationId}></chat-view>
      </div>
    `;
  }

  private signOut() {
    this.dispatchEvent(new CustomEvent('sign-out', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-home': ChatHome;
  }
}
