import { localized, msg, str } from '@lit/localize';
import { shownPreview } from '../data/messages/head-preview.js';
import { LitElement, css, html } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationSummary } from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { conversationTitle } from '../data/people/display-names.js';
import { PeopleController } from '../controllers/people-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { UnreadController } from '../controllers/unread-controller.js';
import { byLastActivity } from '../data/messages/conversation-order.js';
import { robotAvatar } from './conversation-avatar.js';
import { listTime } from './message-time.js';
import './person-avatar.js';
import { visuallyHidden } from './visually-hidden-styles.js';

export interface OpenConversationDetail {
  id: string;
}

/** How a conversation I am no longer in is labelled in the list. */
export const ENDED_LABELS = (): Record<NonNullable<ConversationSummary['ended']>, string> => ({
  left: msg('You left'),
  removed: msg('You were removed'),
  disbanded: msg('Disbanded'),
});

/**
 * The person's conversations, from their own document (so it works
 * offline), newest activity first, each with its newest message's preview
 * and time and an unread badge, all from the heads the server keeps there
 * (docs/ARCHITECTURE.md, "Conversation heads"). Direct chats are named by my remark on the friend, if any;
 * conversations I am no longer in stay, marked. Fires `open-conversation`.
 */
@customElement('conversation-list')
@localized()
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
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: -3px;
    }
    .badge {
      flex: none;
      margin-left: auto;
      min-width: 22px;
      padding: 2px 7px;
      font-size: 0.78rem;
      font-weight: 700;
      text-align: center;
      color: var(--hc-on-fill, #fff);
      background: var(--hc-accent, #2f6fde);
      border-radius: 999px;
    }
    .text {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .title {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }
    .preview {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 0.85rem;
      color: var(--hc-muted, #5b6472);
    }
    .side {
      display: flex;
      flex: none;
      flex-direction: column;
      align-items: flex-end;
      gap: 4px;
      margin-left: auto;
    }
    .time {
      font-size: 0.75rem;
      color: var(--hc-muted, #5b6472);
    }
    .ended {
      font-size: 0.8rem;
      color: var(--hc-muted, #5b6472);
    }
    [data-ended] person-avatar {
      opacity: 0.55;
    }
    .empty {
      padding: 24px 16px;
      color: var(--hc-muted, #5b6472);
      text-align: center;
    }
    .visually-hidden {
      ${visuallyHidden}
    }
  `;

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() selectedId: string | undefined;

  private readonly people = new PeopleController(this, () => this.session);
  private readonly unread = new UnreadController(this, () => this.session);

  constructor() {
    super();
    new SessionController(this, () => this.session);
  }

  override render() {
    const conversations = byLastActivity(this.session?.conversations() ?? [], (id) => this.unread.head(id));
    const meId = this.session?.me.id;
    if (conversations.length === 0) {
      return html`<p class="empty">${msg('No conversations yet. Find friends in the Friends tab, or start a group.')}</p>`;
    }
    const remarks = this.people.snapshot.remarks;
    return html`<ul aria-label=${msg('Conversations')}>
      ${repeat(
        conversations,
        (c) => c.id,
        (c) => {
          const title = conversationTitle(c, remarks);
          const head = this.unread.head(c.id);
          return html`<li>
            <button type="button" data-conversation-id=${c.id} data-kind=${c.kind} ?data-ended=${Boolean(c.ended)}
              aria-current=${c.id === this.selectedId ? 'true' : 'false'} @click=${() => this.open(c.id)}>
              ${
                c.kind === 'robot'
                  ? robotAvatar(40)
                  : html`<person-avatar .name=${title} .src=${c.avatar} .seed=${c.peerId ?? c.id}></person-avatar>`
              }
              <span class="text">
                <span class="title" data-testid="conversation-item">${title}</span>
                ${
                  c.ended
                    ? html`<span class="ended" data-testid="conversation-ended">${ENDED_LABELS()[c.ended] ?? msg('Ended')}</span>`
                    : head
                      ? html`<span class="preview" data-testid="conversation-preview">${head.author === meId ? msg(str`You: ${shownPreview(head)}`) : shownPreview(head)}</span>`
                      : null
                }
              </span>
              <span class="side">
                ${head ? html`<span class="time" data-testid="conversation-time">${listTime(head.at)}</span>` : null}
                ${
                  this.unread.count(c.id) > 0
                    ? html`<span class="badge" data-testid="unread-badge" aria-hidden="true">${this.unread.count(c.id)}</span>
                      <span class="visually-hidden">, ${msg(str`${this.unread.count(c.id)} unread`)}</span>`
                    : null
                }
              </span>
            </button>
          </li>`;
        },
      )}
    </ul>`;
  }

  /**
   * Focuses the entry of `id` (a conversation just left), else the open
   * conversation's, else the first one (the skip link lands here).
   */
  focusCurrent(id?: string): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button[data-conversation-id]')];
    const wanted = buttons.find((button) => (id ? button.dataset.conversationId === id : button.getAttribute('aria-current') === 'true'));
    (wanted ?? buttons[0])?.focus();
  }

  private open(id: string) {
    this.dispatchEvent(new CustomEvent<OpenConversationDetail>('open-conversation', { detail: { id }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-list': ConversationList;
  }
}
