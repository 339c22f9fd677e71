/**
 * The visitor's view of the conversation: the site's greeting, then every
 * message in the shared display order. The visitor's own messages show
 * whether they are still waiting or delivered; web links are the only
 * markup (Lit escapes everything else).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OrderedMessage } from '../../shared/message-order.js';
import type { MemberInfo } from '../../shared/schema.js';
import { linkParts } from '../components/linkify.js';
import type { EmbedStrings } from './embed-strings.js';

@customElement('embed-message-list')
export class EmbedMessageList extends LitElement {
  static override styles = css`
    :host {
      display: block;
      overflow-y: auto;
      padding: 12px;
      background: #f5f7fb;
    }
    ol {
      display: flex;
      flex-direction: column;
      gap: 8px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      max-width: 82%;
      align-self: flex-start;
    }
    li.mine {
      align-self: flex-end;
      text-align: right;
    }
    .bubble {
      display: inline-block;
      padding: 8px 12px;
      text-align: left;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: #fff;
      border: 1px solid #e3e7ee;
      border-radius: 14px;
    }
    .mine .bubble {
      color: #fff;
      background: var(--embed-color, #2f6fde);
      border-color: transparent;
    }
    .mine .bubble a {
      color: inherit;
    }
    .greeting .bubble {
      background: #fff;
    }
    .author,
    .state {
      display: block;
      margin: 2px 4px;
      font-size: 12px;
      color: #677284;
    }
    [data-state='pending'] .bubble {
      opacity: 0.75;
    }
  `;

  @property({ attribute: false }) messages: OrderedMessage[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property({ attribute: false }) strings: EmbedStrings | undefined;
  @property() greeting = '';
  @property() guestId = '';

  protected override updated(changed: PropertyValues<this>): void {
    // New messages come in at the bottom: keep the newest in view.
    if (changed.has('messages')) this.scrollTop = this.scrollHeight;
  }

  override render() {
    const strings = this.strings;
    return html`<ol aria-live="polite">
      ${this.greeting ? html`<li class="greeting" data-testid="widget-greeting"><span class="bubble">${this.greeting}</span></li>` : nothing}
      ${this.messages.map(({ message, state }) => {
        const mine = message.author === this.guestId;
        const author = mine ? '' : this.members[message.author]?.name ?? '';
        return html`<li class=${mine ? 'mine' : ''} data-testid="widget-message" data-state=${state}>
          ${author ? html`<span class="author">${author}</span>` : nothing}
          <span class="bubble" data-testid="widget-message-text">${this.renderText(message.text)}</span>
          ${mine && strings ? html`<span class="state">${state === 'pending' ? strings.pending : strings.delivered}</span>` : nothing}
        </li>`;
      })}
    </ol>`;
  }

  private renderText(text: string) {
    return linkParts(text).map((part) => (part.kind === 'link' ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>` : part.text));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'embed-message-list': EmbedMessageList;
  }
}
