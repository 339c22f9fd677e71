/**
 * The visitor's view of the conversation: the site's greeting, then every
 * message in the shared display order, grouped into runs as the app groups
 * them (the name once per run, message-runs.ts) and with the app's "New
 * messages" divider above what was unread when the chat opened
 * (unread-position.ts); it opens there when that is above the view. Scrolled to the top with older history
 * left (segments, docs/SEGMENTS.md), it asks for more (`embed-older`) and
 * keeps what is on screen in place when it arrives. It follows new messages
 * while the newest is in view; scrolled up, it stays, and the app's
 * jump-to-latest button (jump-to-latest.ts) counts the unread messages below
 * (list-follow.ts). Each text message offers Copy (`embed-copy`, on hover,
 * focus or a tap); `scrollToMessage` shows one (the pinned bar's jump). The
 * visitor's own messages show whether they are still waiting or delivered;
 * web links are the only markup (Lit escapes everything else).
 */
import { msg } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { OrderedMessage } from '../../shared/message-order.js';
import type { Attachment, MemberInfo, Message } from '../../shared/schema.js';
import { jumpToLatestStyles, renderJumpToLatest } from '../components/jump-to-latest.js';
import { linkParts } from '../components/linkify.js';
import { runPlaces, type RunPlace } from '../data/messages/message-runs.js';
import { firstUnreadId, unreadIn } from '../data/messages/unread-position.js';
import type { EmbedStrings } from './embed-strings.js';
import { followMove, isAtBottom, type ListBefore } from './list-follow.js';
import type { PictureView } from './visitor-pictures.js';
import '../components/file-attachment.js';
import '../components/voice-player.js';

/** Detail of `embed-copy`: the message whose text to copy. */
export interface EmbedCopyDetail {
  id: string;
}

/** Detail of `embed-position`: whether the newest message is in view (what arrives counts as read then). */
export interface EmbedPositionDetail {
  atBottom: boolean;
}

/** How long a message shown from the pinned bar stays highlighted. */
const FLASH_MS = 1600;

@customElement('embed-message-list')
export class EmbedMessageList extends LitElement {
  static override styles = [
    jumpToLatestStyles,
    css`
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
    li.message {
      position: relative;
      border-radius: 14px;
      transition: background-color 0.6s;
    }
    li.message:focus {
      outline: none;
    }
    li.message:focus-visible {
      outline: 3px solid var(--embed-color, #2f6fde);
      outline-offset: 2px;
    }
    li.flash {
      background: color-mix(in srgb, var(--embed-color, #2f6fde) 22%, transparent);
    }
    /* Copy: beside the bubble on hover, keyboard focus, or once the message is tapped. */
    .copy {
      display: inline-block;
      min-width: 44px;
      min-height: 32px;
      margin: 0;
      padding: 2px 8px;
      white-space: nowrap;
      font: inherit;
      font-size: 12px;
      color: #2459b8;
      background: #fff;
      border: 1px solid #dde2ea;
      border-radius: 999px;
      cursor: pointer;
      opacity: 0;
      pointer-events: none;
    }
    li.message:hover .copy,
    li.message:focus-within .copy,
    li.message.selected .copy {
      opacity: 1;
      pointer-events: auto;
    }
    .copy:focus-visible {
      outline: 3px solid var(--embed-color, #2f6fde);
      outline-offset: 1px;
    }
    /* Beside the bubble, in the room the 82 % width leaves, so showing it moves nothing. */
    .actions {
      position: absolute;
      top: 50%;
      left: calc(100% + 2px);
      transform: translateY(-50%);
    }
    li.mine .actions {
      right: calc(100% + 2px);
      left: auto;
    }
  `,
  ];

  @property({ attribute: false }) messages: OrderedMessage[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property({ attribute: false }) strings: EmbedStrings | undefined;
  @property() greeting = '';
  @property() guestId = '';
  /** My read marker now: the unread messages below the view are counted on the jump-to-latest button. */
  @property({ type: Number }) readUpTo = 0;
  /** Older history exists than the messages given: the greeting waits for the beginning, and scrolling up asks for it. */
  @property({ type: Boolean }) hasOlder = false;
  /** My read marker as the chat opened, when something was unread then: the divider goes above the first message after it. */
  @property({ attribute: false }) unreadAfter: number | undefined;
  /** How to show a picture of the conversation (fetched with the visitor's token, visitor-pictures.ts). */
  @property({ attribute: false }) pictureView: (blobId: string) => PictureView = () => ({ kind: 'failed' });

  /** The newest message is out of view: the jump-to-latest button shows. */
  @state() private scrolledUp = false;
  /** The message whose Copy shows after a tap (touch screens have no hover). */
  @state() private selectedId: string | undefined;
  @state() private flashId: string | undefined;
  /** Before an update: where the view was (list-follow.ts). */
  private beforeUpdate: ListBefore | null = null;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  /** The first message unread when the chat opened (the divider's place), and where each message sits in its run. */
  private unreadFrom: string | undefined;
  private runs = new Map<string, RunPlace>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('scroll', this.onScroll, { passive: true });
  }

  override disconnectedCallback(): void {
    this.removeEventListener('scroll', this.onScroll);
    clearTimeout(this.flashTimer);
    super.disconnectedCallback();
  }

  /** Scrolls a message into view near the top, highlights it for a moment and gives it the keyboard (the pinned bar's jump). */
  scrollToMessage(id: string): boolean {
    const item = this.renderRoot.querySelector<HTMLElement>(`li[data-message-id="${CSS.escape(id)}"]`);
    if (!item) return false;
    this.scrollTop += this.topInView(item) - 8;
    item.focus({ preventScroll: true });
    clearTimeout(this.flashTimer);
    this.flashId = id;
    this.flashTimer = setTimeout(() => (this.flashId = undefined), FLASH_MS);
    this.notePosition();
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages')) {
      const previous = changed.get('messages') ?? [];
      this.beforeUpdate = {
        fromBottom: this.scrollHeight - this.scrollTop,
        atBottom: !this.scrolledUp,
        firstId: previous[0]?.message.id,
        lastId: previous.at(-1)?.message.id,
      };
    }
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
      const ids = this.messages.map((entry) => entry.message.id);
      const move = followMove(this.beforeUpdate, { ids, lastMine: this.messages.at(-1)?.message.author === this.guestId });
      if (move === 'bottom') this.scrollTop = this.scrollHeight;
      else if (move === 'keep' && this.beforeUpdate) this.scrollTop = this.scrollHeight - this.beforeUpdate.fromBottom;
      this.notePosition();
    }
    // The chat opened with unread messages: show them from the first, under the divider, unless it is in view.
    if (changed.has('unreadAfter') && this.unreadAfter !== undefined) {
      const divider = this.renderRoot.querySelector<HTMLElement>('.unread-divider');
      if (divider && this.topInView(divider) < 0) this.scrollTop += this.topInView(divider) - 8;
      this.notePosition();
    }
    // Too few messages to scroll: nothing would ever reach the top, so ask for older history now.
    if (this.hasOlder && this.scrollHeight <= this.clientHeight + 1) this.askOlder();
  }

  private readonly onScroll = (): void => {
    if (this.hasOlder && this.scrollTop < 40) this.askOlder();
    this.notePosition();
  };

  /** Whether the newest message is in view, told to the chat (what arrives is read only then) when it changes. */
  private notePosition(): void {
    // A hidden frame has no size: it keeps what it knew.
    if (this.clientHeight === 0) return;
    const scrolledUp = !isAtBottom(this);
    if (scrolledUp === this.scrolledUp) return;
    this.scrolledUp = scrolledUp;
    this.dispatchEvent(
      new CustomEvent<EmbedPositionDetail>('embed-position', { detail: { atBottom: !scrolledUp }, bubbles: true, composed: true }),
    );
  }

  private readonly jumpToLatest = (): void => {
    this.scrollTop = this.scrollHeight;
    this.notePosition();
    // The button goes away: the keyboard's place moves to the newest message rather than to the page.
    const newest = this.messages.at(-1)?.message.id;
    const item = newest ? this.renderRoot.querySelector<HTMLElement>(`li[data-message-id="${CSS.escape(newest)}"]`) : null;
    item?.focus({ preventScroll: true });
  };

  /** Where an element of the list starts, from the top of the view (negative: above it). */
  private topInView(element: Element): number {
    return element.getBoundingClientRect().top - this.getBoundingClientRect().top;
  }

  /** Selects a message's text, for the visitor to copy where the browser refused to (embed-chat.ts says so). */
  selectText(id: string): void {
    const text = this.renderRoot.querySelector(`li[data-message-id="${CSS.escape(id)}"] [data-testid="widget-message-text"]`);
    const selection = getSelection();
    if (text && selection) selection.selectAllChildren(text);
  }

  private copy(id: string): void {
    this.dispatchEvent(new CustomEvent<EmbedCopyDetail>('embed-copy', { detail: { id }, bubbles: true, composed: true }));
  }

  /** A tap on a message (not on a link or button in it) shows its Copy; another tap hides it. */
  private select(event: Event, id: string): void {
    if ((event.target as Element | null)?.closest?.('a, button, voice-player, file-attachment')) return;
    this.selectedId = this.selectedId === id ? undefined : id;
  }

  private askOlder(): void {
    this.dispatchEvent(new CustomEvent('embed-older', { bubbles: true, composed: true }));
  }

  override render() {
    const strings = this.strings;
    return html`${this.renderList(strings)}${
      this.scrolledUp && this.messages.length > 0
        ? renderJumpToLatest(unreadIn(this.messages, this.readUpTo, this.guestId), this.jumpToLatest)
        : nothing
    }`;
  }

  private renderList(strings: EmbedStrings | undefined) {
    return html`<ol aria-live="polite">
      ${this.greeting && !this.hasOlder ? html`<li class="greeting" data-testid="widget-greeting"><span class="bubble">${this.greeting}</span></li>` : nothing}
      ${repeat(
        this.messages,
        // Keyed: older history joining above adds its rows, and the rows shown keep their elements (unkeyed, every
        // row was rebound to another message, each text set again and laid out anew).
        ({ message }) => message.id,
        ({ message, state }) => {
          const mine = message.author === this.guestId;
          const first = this.runs.get(message.id)?.first ?? true;
          const author = mine || !first ? '' : (this.members[message.author]?.name ?? '');
          const classes = [
            'message',
            mine ? 'mine' : '',
            first ? '' : 'cont',
            this.selectedId === message.id ? 'selected' : '',
            this.flashId === message.id ? 'flash' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const copyable = message.text.trim() !== '';
          return html`${
            message.id === this.unreadFrom
              ? html`<li class="unread-divider" data-testid="widget-unread-divider"><span>${msg('New messages')}</span></li>`
              : nothing
          }<li class=${classes} data-testid="widget-message" data-message-id=${message.id} data-state=${state} data-run=${first ? 'first' : 'cont'}
          tabindex="-1" @click=${(event: Event) => this.select(event, message.id)}>
          ${author ? html`<span class="author" data-testid="widget-author">${author}</span>` : nothing}
          ${
            message.kind === 'image'
              ? this.renderPictureMessage(message)
              : message.kind === 'file' || message.kind === 'voice'
                ? this.renderFileOrVoice(message)
                : html`<span class="bubble" data-testid="widget-message-text">${this.renderText(message.text)}</span>`
          }
          ${
            copyable && strings
              ? html`<span class="actions"><button type="button" class="copy" data-testid="widget-copy"
                  @click=${() => this.copy(message.id)}>${strings.copy}</button></span>`
              : nothing
          }
          ${mine && strings ? html`<span class="state">${state === 'pending' ? strings.pending : strings.delivered}</span>` : nothing}
        </li>`;
        },
      )}
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
