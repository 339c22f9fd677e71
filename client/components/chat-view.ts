import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { CloseCode, describeCloseCode } from '../../shared/protocol.js';
import { metaOf } from '../../shared/schema.js';
import type { ChatSession } from '../data/chat-session.js';
import { ConversationController } from '../controllers/conversation-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import type { ChatSendDetail } from './chat-composer.js';
import { formStyles } from './form-styles.js';
import './chat-composer.js';
import './chat-message-list.js';

/** One conversation: header with a back button (narrow screens), messages, composer. Fires `close-conversation`. */
@customElement('chat-view')
export class ChatView extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        min-width: 0;
        background: var(--hc-bg, #f3f5f9);
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 56px;
        padding: 6px 12px;
        background: var(--hc-surface, #fff);
        border-bottom: 1px solid var(--hc-border, #dde2ea);
      }
      header h2 {
        flex: 1;
        min-width: 0;
        margin: 0;
        font-size: 1.05rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .back {
        padding: 0;
        font-size: 1.4rem;
        line-height: 1;
      }
      chat-message-list {
        flex: 1;
        min-height: 0;
      }
      .notice,
      .error {
        margin: 12px;
      }
      .placeholder {
        flex: 1;
        display: grid;
        place-items: center;
        color: var(--hc-muted, #677284);
        padding: 24px;
        text-align: center;
      }
      @media (min-width: 768px) {
        .back {
          display: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) session: ChatSession | undefined;
  @property() conversationId: string | undefined;
  private readonly conversation = new ConversationController(this, () => ({
    session: this.session,
    conversationId: this.conversationId,
  }));

  constructor() {
    super();
    // The title comes from the person's conversation list.
    new SessionController(this, () => this.session);
  }

  override render() {
    const session = this.session;
    const connection = this.conversation.connection;
    if (!session || !this.conversationId || !connection) {
      return html`<div class="placeholder">Pick a conversation, or start one with someone's email.</div>`;
    }
    const stop = connection.state.phase === 'stopped' ? connection.state.stopCode : null;
    const messages = this.conversation.messages();
    return html`
      <header>
        <button class="link back" type="button" aria-label="Back to conversations" data-testid="back" @click=${this.back}>
          ←
        </button>
        <h2 data-testid="conversation-title">${this.heading()}</h2>
      </header>
      ${stop === CloseCode.forbidden
        ? html`<p class="error" role="alert" data-testid="conversation-error">${describeCloseCode(stop)}</p>`
        : null}
      ${stop === CloseCode.forbidden && messages.length === 0
        ? html`<div class="placeholder"></div>`
        : !connection.state.localLoaded && messages.length === 0
        ? html`<div class="placeholder">Loading…</div>`
        : html`<chat-message-list .messages=${messages} .members=${this.conversation.members()} .meId=${session.me.id}
            .meName=${session.me.name} .conversationId=${this.conversationId}></chat-message-list>`}
      <chat-composer ?disabled=${stop === CloseCode.forbidden} @chat-send=${this.send}></chat-composer>
    `;
  }

  private heading(): string {
    const id = this.conversationId;
    const summary = id ? this.session?.conversation(id) : undefined;
    if (summary?.title) return summary.title;
    const connection = this.conversation.connection;
    const metaTitle = connection ? metaOf(connection.doc).get('title') : undefined;
    if (typeof metaTitle === 'string' && metaTitle) return metaTitle;
    // A new direct conversation may open before the list has it: name it after the other person.
    const others = Object.entries(this.conversation.members()).filter(([id]) => id !== this.session?.me.id);
    return others.length === 1 && others[0] ? others[0][1].name : 'Conversation';
  }

  private send(event: CustomEvent<ChatSendDetail>) {
    if (!this.session || !this.conversationId) return;
    this.session.send(this.conversationId, event.detail.text);
  }

  private back() {
    this.dispatchEvent(new CustomEvent('close-conversation', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-view': ChatView;
  }
}
