import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatSession } from '../data/chat-session.js';
import { SessionController } from '../controllers/session-controller.js';

export interface OpenConversationDetail {
  id: string;
}

/** The person's conversations, from their own document (so it works offline). Fires `open-conversation`. */
@customElement('conversation-list')
export class ConversationList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    button {
      display: flex;
      align-items: center;
      gap: 12px;
      width: 100%;
      min-height: 60px;
      padding: 8px 16px;
      font: inherit;
      text-align: left;
      color: inherit;
      background: none;
      border: 0;
      border-bottom: 1px solid var(--hc-border, #dde2ea);
      cursor: pointer;
    }
    button:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    button[aria-current='true'] {
      background: var(--hc-accent-soft, #e7efff);
    }
    button:focus-visible {
      outline: 3px solid color-mix(in srgb, var(--hc-accent, #2f6fde) 40%, transparent);
      outline-offset: -3px;
    }
    .avatar {
      flex: none;
      display: grid;
      place-items: center;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      color: #fff;
      background: var(--hc-accent, #2f6fde);
      font-weight: 700;
    }
    .title {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }
    .empty {
      padding: 24px 16px;
      color: var(--hc-muted, #677284);
      text-align: center;
    }
  `;

  @property({ attribute: false }) session: ChatSession | undefined;
  @property() selectedId: string | undefined;

  constructor() {
    super();
    new SessionController(this, () => this.session);
  }

  override render() {
    const conversations = this.session?.conversations() ?? [];
    if (conversations.length === 0) {
      return html`<p class="empty">No conversations yet. Start one with someone's email above.</p>`;
    }
    return html`<ul aria-label="Conversations">
      ${repeat(
        conversations,
        (c) => c.id,
        (c) => html`<li>
          <button type="button" data-conversation-id=${c.id} aria-current=${c.id === this.selectedId ? 'true' : 'false'}
            @click=${() => this.open(c.id)}>
            <span class="avatar" aria-hidden="true">${initial(c.title)}</span>
            <span class="title" data-testid="conversation-item">${c.title}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private open(id: string) {
    this.dispatchEvent(
      new CustomEvent<OpenConversationDetail>('open-conversation', { detail: { id }, bubbles: true, composed: true }),
    );
  }
}

/** The first letter (not UTF-16 unit) of a title, for the avatar. */
export function initial(title: string): string {
  const first = Array.from(title.trim())[0];
  return first ? first.toLocaleUpperCase() : '?';
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-list': ConversationList;
  }
}
