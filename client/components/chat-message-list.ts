import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MemberInfo } from '../../shared/schema.js';
import type { DisplayedMessage, DisplayState } from '../data/refusal-recovery.js';
import { linkParts } from './linkify.js';

/** Detail of `message-retry` and `message-discard`. */
export interface MessageActionDetail {
  id: string;
}

/** How close to the bottom (px) counts as "reading the newest": new messages then scroll into view. */
const STICK_TO_BOTTOM_PX = 80;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/**
 * The messages of one conversation, in the shared display order, with day
 * separators. A failed message of mine shows why, with "Retry" (when it can
 * be sent at all) and "Discard": it fires `message-retry` / `message-discard`.
 */
@customElement('chat-message-list')
export class ChatMessageList extends LitElement {
  static override styles = css`
    :host {
      display: block;
      overflow-y: auto;
      overscroll-behavior: contain;
      padding: 12px 12px 4px;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .day {
      align-self: center;
      margin: 10px 0 6px;
      padding: 2px 10px;
      font-size: 0.78rem;
      color: var(--hc-muted, #677284);
      background: var(--hc-surface, #fff);
      border-radius: 999px;
    }
    .message {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      max-width: min(78%, 560px);
    }
    .message.mine {
      align-self: flex-end;
      align-items: flex-end;
    }
    .bubble {
      padding: 6px 10px 4px;
      background: var(--hc-surface, #fff);
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 14px 14px 14px 4px;
      min-width: 64px;
    }
    .mine .bubble {
      background: var(--hc-accent-soft, #e7efff);
      border-color: #cddcfb;
      border-radius: 14px 14px 4px 14px;
    }
    .author {
      display: block;
      font-size: 0.78rem;
      font-weight: 700;
      color: var(--hc-accent-dark, #2459b8);
    }
    .text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.4;
    }
    .text a {
      color: var(--hc-accent-dark, #2459b8);
    }
    .deleted {
      font-style: italic;
      color: var(--hc-muted, #677284);
    }
    .meta {
      display: flex;
      justify-content: flex-end;
      align-items: center;
      gap: 4px;
      font-size: 0.72rem;
      color: var(--hc-muted, #677284);
    }
    .state svg {
      display: block;
      width: 14px;
      height: 14px;
    }
    [data-state='delivered'] .state {
      color: var(--hc-accent, #2f6fde);
    }
    [data-state='failed'] .state {
      color: var(--hc-danger, #c0392b);
    }
    .mine[data-state='failed'] .bubble {
      background: #fdeeee;
      border-color: #f1c4c0;
    }
    .failure {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: flex-end;
      gap: 2px 8px;
      margin: 2px 0 4px;
      font-size: 0.8rem;
      color: var(--hc-danger, #c0392b);
    }
    .failure button {
      min-height: 32px;
      padding: 2px 10px;
      font: inherit;
      font-weight: 600;
      color: var(--hc-accent-dark, #2459b8);
      background: none;
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 999px;
      cursor: pointer;
    }
    .system {
      align-self: center;
      max-width: 90%;
      font-size: 0.85rem;
      color: var(--hc-muted, #677284);
      text-align: center;
    }
    .empty {
      margin: 32px 0;
      text-align: center;
      color: var(--hc-muted, #677284);
    }
  `;

  @property({ attribute: false }) messages: DisplayedMessage[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property() meId = '';
  @property() meName = '';
  /** Changing this (another conversation) jumps to the newest message. */
  @property() conversationId = '';
  private stickToBottom = true;

  override render() {
    if (this.messages.length === 0) return html`<p class="empty">No messages yet. Say hello!</p>`;
    let lastDay = '';
    const items: unknown[] = [];
    for (const entry of this.messages) {
      const day = dayLabel(entry.message.createdAt);
      if (day !== lastDay) {
        items.push(html`<li class="day" role="separator">${day}</li>`);
        lastDay = day;
      }
      items.push(this.renderMessage(entry));
    }
    return html`<ol aria-label="Messages" aria-live="polite">${items}</ol>`;
  }

  private renderMessage({ message, state, failure }: DisplayedMessage) {
    if (message.kind === 'system') {
      return html`<li class="system" data-testid="message" data-message-id=${message.id} data-state=${state}>
        <span data-testid="message-text">${message.text}</span>
      </li>`;
    }
    const mine = message.author === this.meId;
    const author = this.members[message.author]?.name ?? (mine ? this.meName : 'Someone');
    const time = new Date(message.createdAt);
    return html`<li class="message ${mine ? 'mine' : ''}" data-testid="message" data-message-id=${message.id}
      data-state=${state}>
      <div class="bubble">
        <span class="author">${author}</span>
        ${message.deleted
          ? html`<p class="text deleted" data-testid="message-text">This message was deleted.</p>`
          : html`<p class="text" data-testid="message-text">${renderText(message.text)}</p>`}
        <span class="meta">
          <time datetime=${time.toISOString()} title=${time.toLocaleString()}>${timeFormat.format(time)}</time>
          ${mine ? stateIcon(state) : null}
        </span>
      </div>
      ${failure
        ? html`<div class="failure" role="alert">
            <span data-testid="message-failure">${failure.retryable ? 'Not sent' : 'Cannot be sent'}: ${failure.reason}</span>
            ${failure.retryable
              ? html`<button type="button" data-testid="message-retry" @click=${() => this.act('message-retry', message.id)}>
                  Retry
                </button>`
              : null}
            <button type="button" data-testid="message-discard" @click=${() => this.act('message-discard', message.id)}>
              Discard
            </button>
          </div>`
        : null}
    </li>`;
  }

  private act(type: 'message-retry' | 'message-discard', id: string) {
    this.dispatchEvent(new CustomEvent<MessageActionDetail>(type, { detail: { id }, bubbles: true, composed: true }));
  }

  // When the composer grows or the keyboard opens, the newest message must stay in view.
  private readonly resizeObserver = new ResizeObserver(() => {
    if (this.stickToBottom) this.scrollTop = this.scrollHeight;
  });

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('scroll', this.onScroll, { passive: true });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback() {
    this.removeEventListener('scroll', this.onScroll);
    this.resizeObserver.disconnect();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('conversationId')) this.stickToBottom = true;
    // My own new message always comes into view.
    const previous = changed.get('messages') as DisplayedMessage[] | undefined;
    const newest = this.messages.at(-1);
    if (previous && newest && newest.message.author === this.meId && !previous.some((m) => m.message.id === newest.message.id)) {
      this.stickToBottom = true;
    }
  }

  protected override updated() {
    if (this.stickToBottom) this.scrollTop = this.scrollHeight;
  }

  private readonly onScroll = () => {
    this.stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < STICK_TO_BOTTOM_PX;
  };
}

function renderText(text: string) {
  return linkParts(text).map((part) =>
    part.kind === 'link'
      ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow">${part.text}</a>`
      : part.text,
  );
}

function stateIcon(state: DisplayState) {
  if (state === 'failed') {
    return html`<span class="state" title="Not sent" aria-label="failed">
      <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
        <circle cx="8" cy="8" r="6.2" /><path d="M8 4.8v3.6M8 11v.2" />
      </svg>
    </span>`;
  }
  if (state === 'pending') {
    return html`<span class="state" title="Waiting to be sent" aria-label="pending">
      <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round">
        <circle cx="8" cy="8" r="6" /><path d="M8 4.5V8l2.5 1.5" />
      </svg>
    </span>`;
  }
  return html`<span class="state" title="Delivered" aria-label="delivered">
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d="M3 8.5l3.2 3L13 4.5" />
    </svg>
  </span>`;
}

function dayLabel(timestamp: number): string {
  const date = new Date(timestamp);
  const today = new Date();
  if (sameDay(date, today)) return 'Today';
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (sameDay(date, yesterday)) return 'Yesterday';
  return dayFormat.format(date);
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-message-list': ChatMessageList;
  }
}
