/**
 * The visitor's view of the conversation: the site's greeting, then every
 * message in the shared display order, grouped into runs as the app groups
 * them (the name once per run, message-runs.ts) and with the app's "New
 * messages" divider above what was unread when the chat opened
 * (unread-position.ts); it opens there when that is above the view. Scrolled to the top with older history
 * left (segments, docs/SEGMENTS.md), it asks for more (`embed-older`) and
 * keeps what is on screen in place when it arrives. The visitor's own messages show
 * whether they are still waiting or delivered; web links are the only
 * markup (Lit escapes everything else).
 */
import { msg } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OrderedMessage } from '../../shared/message-order.js';
import type { Attachment, MemberInfo, Message } from '../../shared/schema.js';
import { linkParts } from '../components/linkify.js';
import { runPlaces, type RunPlace } from '../data/messages/message-runs.js';
import { firstUnreadId } from '../data/messages/unread-position.js';
import type { EmbedStrings } from './embed-strings.js';
import type { PictureView } from './visitor-pictures.js';
import '../components/file-attachment.js';
import '../components/voice-player.js';

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
    /* A run's later messages sit close under its first, as in the app. */
    li.cont {
      margin-top: -5px;
    }
    li.mine {
      align-self: flex-end;
      text-align: right;
    }
    .bubble {
      display: inline-block;
      max-width: 100%;
      box-sizing: border-box;
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
    li.unread-divider {
      display: flex;
      align-items: center;
      gap: 8px;
      max-width: none;
      align-self: stretch;
      font-size: 12px;
      font-weight: 600;
      color: #b4232a;
    }
    li.unread-divider::before,
    li.unread-divider::after {
      content: '';
      flex: 1;
      border-top: 1px solid currentColor;
      opacity: 0.5;
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
  /** Older history exists than the messages given: the greeting waits for the beginning, and scrolling up asks for it. */
  @property({ type: Boolean }) hasOlder = false;
  /** My read marker as the chat opened, when something was unread then: the divider goes above the first message after it. */
  @property({ attribute: false }) unreadAfter: number | undefined;
  /** How to show a picture of the conversation (fetched with the visitor's token, visitor-pictures.ts). */
  @property({ attribute: false }) pictureView: (blobId: string) => PictureView = () => ({ kind: 'failed' });

  /** Before an update: how far the view is from the bottom, and the first message shown. */
  private beforeUpdate: { fromBottom: number; firstId: string | undefined } | null = null;
  /** The first message unread when the chat opened (the divider's place), and where each message sits in its run. */
  private unreadFrom: string | undefined;
  private runs = new Map<string, RunPlace>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('scroll', this.onScroll, { passive: true });
  }

  override disconnectedCallback(): void {
    this.removeEventListener('scroll', this.onScroll);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages'))
      this.beforeUpdate = { fromBottom: this.scrollHeight - this.scrollTop, firstId: changed.get('messages')?.[0]?.message.id };
    if (changed.has('messages') || changed.has('unreadAfter') || changed.has('guestId')) {
      this.unreadFrom = this.unreadAfter === undefined ? undefined : firstUnreadId(this.messages, this.unreadAfter, this.guestId);
      this.runs = runPlaces(
        this.messages.map((entry) => entry.message),
        this.unreadFrom,
      );
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('messages')) {
      const before = this.beforeUpdate;
      const firstId = this.messages[0]?.message.id;
      // Older messages came in above: keep what was on screen where it was. Anything else comes in at the bottom.
      const prepended =
        before?.firstId !== undefined && firstId !== before.firstId && this.messages.some((entry) => entry.message.id === before.firstId);
      this.scrollTop = prepended && before ? this.scrollHeight - before.fromBottom : this.scrollHeight;
    }
    // The chat opened with unread messages: show them from the first, under the divider, unless it is in view.
    if (changed.has('unreadAfter') && this.unreadAfter !== undefined) {
      const divider = this.renderRoot.querySelector<HTMLElement>('.unread-divider');
      if (divider && divider.offsetTop < this.scrollTop) this.scrollTop = divider.offsetTop - 8;
    }
    // Too few messages to scroll: nothing would ever reach the top, so ask for older history now.
    if (this.hasOlder && this.scrollHeight <= this.clientHeight + 1) this.askOlder();
  }

  private readonly onScroll = (): void => {
    if (this.hasOlder && this.scrollTop < 40) this.askOlder();
  };

  private askOlder(): void {
    this.dispatchEvent(new CustomEvent('embed-older', { bubbles: true, composed: true }));
  }

  override render() {
    const strings = this.strings;
    return html`<ol aria-live="polite">
      ${this.greeting && !this.hasOlder ? html`<li class="greeting" data-testid="widget-greeting"><span class="bubble">${this.greeting}</span></li>` : nothing}
      ${this.messages.map(({ message, state }) => {
        const mine = message.author === this.guestId;
        const first = this.runs.get(message.id)?.first ?? true;
        const author = mine || !first ? '' : (this.members[message.author]?.name ?? '');
        const classes = `${mine ? 'mine' : ''}${first ? '' : ' cont'}`.trim();
        return html`${
          message.id === this.unreadFrom
            ? html`<li class="unread-divider" data-testid="widget-unread-divider"><span>${msg('New messages')}</span></li>`
            : nothing
        }<li class=${classes} data-testid="widget-message" data-state=${state} data-run=${first ? 'first' : 'cont'}>
          ${author ? html`<span class="author" data-testid="widget-author">${author}</span>` : nothing}
          ${
            message.kind === 'image'
              ? this.renderPictureMessage(message)
              : message.kind === 'file' || message.kind === 'voice'
                ? this.renderFileOrVoice(message)
                : html`<span class="bubble" data-testid="widget-message-text">${this.renderText(message.text)}</span>`
          }
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

  /** A file (Download asks embed-chat, which fetches with the visitor's token) or a voice message (its audio fetched like a picture). */
  private renderFileOrVoice(message: Message) {
    const attachment = message.attachments?.[0];
    if (!attachment) return nothing;
    if (message.kind === 'voice') {
      const view = attachment.blobId ? this.pictureView(attachment.blobId) : undefined;
      return html`<span class="bubble"><voice-player data-testid="widget-voice" .src=${view?.kind === 'shown' ? view.url : undefined}
        .durationMs=${attachment.durationMs ?? 0} .peaks=${attachment.peaks ?? []}></voice-player></span>`;
    }
    return html`<span class="bubble"><file-attachment data-testid="widget-file" viaEvent .blobId=${attachment.blobId}
      .name=${attachment.name ?? ''} .mime=${attachment.mime} .size=${attachment.size ?? 0}></file-attachment></span>`;
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
