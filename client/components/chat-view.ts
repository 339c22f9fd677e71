import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { CloseCode, describeCloseCode } from '../../shared/protocol.js';
import { metaOf } from '../../shared/schema.js';
import type { ChatSession } from '../data/chat-session.js';
import { ConversationController } from '../controllers/conversation-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { isContaminated, type Recovery } from '../data/refusal-recovery.js';
import type { ChatSendDetail } from './chat-composer.js';
import type { MessageActionDetail } from './chat-message-list.js';
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
      .recovery {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 12px;
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
      ${this.renderRecovery(this.conversation.recovery())}
      ${stop === CloseCode.forbidden && messages.length === 0
        ? html`<div class="placeholder"></div>`
        : !connection.state.localLoaded && messages.length === 0
        ? html`<div class="placeholder">Loading…</div>`
        : html`<chat-message-list .messages=${messages} .members=${this.conversation.members()} .meId=${session.me.id}
            .meName=${session.me.name} .conversationId=${this.conversationId}
            @message-retry=${this.retry} @message-discard=${this.discard}></chat-message-list>`}
      <chat-composer ?disabled=${stop === CloseCode.forbidden} @chat-send=${this.send}></chat-composer>
    `;
  }

  /** A conversation whose replica the relay refused: why, and the way out. */
  private renderRecovery(recovery: Recovery | undefined) {
    if (!recovery || !isContaminated(recovery)) {
      return recovery?.phase === 'resyncing'
        ? html`<p class="notice" role="status" data-testid="conversation-recovery" data-phase="resyncing">
            Syncing this conversation afresh…
          </p>`
        : null;
    }
    return html`<div class="error recovery" role="alert" data-testid="conversation-recovery" data-phase=${recovery.phase}>
      <span>
        The server refused a change from this device (${recovery.reason}), so this conversation stopped syncing.
        Unsent messages are set aside below.
      </span>
      ${recovery.phase === 'refused'
        ? html`<button type="button" class="secondary" data-testid="conversation-resync" @click=${this.resync}>Sync again</button>`
        : null}
    </div>`;
  }

  private retry(event: CustomEvent<MessageActionDetail>) {
    if (this.session && this.conversationId) this.session.retryMessage(this.conversationId, event.detail.id);
  }

  private discard(event: CustomEvent<MessageActionDetail>) {
    if (this.session && this.conversationId) this.session.discardMessage(this.conversationId, event.detail.id);
  }

  private resync() {
    if (this.session && this.conversationId) this.session.resyncConversation(this.conversationId);
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
