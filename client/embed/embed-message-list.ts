/**
 * The visitor's view of the conversation: the site's greeting, then every
 * message in the shared display order. The visitor's own messages show
 * whether they are still waiting or delivered; web links are the only
 * markup (Lit escapes everything else).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OrderedMessage } from '../../shared/message-order.js';
import type { Attachment, MemberInfo, Message } from '../../shared/schema.js';
import { linkParts } from '../components/linkify.js';
import type { EmbedStrings } from './embed-strings.js';
import type { PictureView } from './visitor-pictures.js';

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
      color: #5b6472;
    }
    [data-state='pending'] .bubble {
      opacity: 0.75;
    }
    .picture {
      display: block;
      max-width: 100%;
      height: auto;
      max-height: 240px;
      border-radius: 10px;
      background: #e3e7ee;
      object-fit: contain;
    }
    .picture.placeholder {
      width: 160px;
      height: 120px;
    }
    /* The template's own line breaks must not show as blank lines around a picture. */
    .bubble.pictures {
      padding: 4px;
      white-space: normal;
    }
    .bubble .caption {
      display: block;
      margin: 6px 8px 4px;
      white-space: pre-wrap;
    }
  `;

  @property({ attribute: false }) messages: OrderedMessage[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property({ attribute: false }) strings: EmbedStrings | undefined;
  @property() greeting = '';
  @property() guestId = '';
  /** How to show a picture of the conversation (fetched with the visitor's token, visitor-pictures.ts). */
  @property({ attribute: false }) pictureView: (blobId: string) => PictureView = () => ({ kind: 'failed' });

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
        const author = mine ? '' : (this.members[message.author]?.name ?? '');
        return html`<li class=${mine ? 'mine' : ''} data-testid="widget-message" data-state=${state}>
          ${author ? html`<span class="author">${author}</span>` : nothing}
          ${message.kind === 'image' ? this.renderPictureMessage(message) : html`<span class="bubble" data-testid="widget-message-text">${this.renderText(message.text)}</span>`}
          ${mine && strings ? html`<span class="state">${state === 'pending' ? strings.pending : strings.delivered}</span>` : nothing}
        </li>`;
      })}
    </ol>`;
  }

  private renderPictureMessage(message: Message) {
    return html`<span class="bubble pictures">
      ${(message.attachments ?? []).map((attachment) => this.renderPicture(attachment))}
      ${message.text ? html`<span class="caption" data-testid="widget-message-text">${this.renderText(message.text)}</span>` : nothing}
    </span>`;
  }

  private renderPicture(attachment: Attachment) {
    const view = attachment.blobId ? this.pictureView(attachment.blobId) : ({ kind: 'loading' } as const);
    const label = this.strings?.picture ?? '';
    if (view.kind !== 'shown') {
      return html`<span class="picture placeholder" role="img" aria-label=${label} data-testid="widget-picture" data-state=${view.kind}></span>`;
    }
    return html`<img class="picture" data-testid="widget-picture" data-state="shown" src=${view.url} alt=${label}
      width=${attachment.width ?? nothing} height=${attachment.height ?? nothing} />`;
  }

  private renderText(text: string) {
    return linkParts(text).map((part) =>
      part.kind === 'link' ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>` : part.text,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'embed-message-list': EmbedMessageList;
  }
}
