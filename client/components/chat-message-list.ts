import { localized, msg, str } from '@lit/localize';
import { systemMessageText } from '../data/messages/system-event-text.js';
import { formatNumber } from '../i18n/formats.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import { currentLocale } from '../i18n/localization.js';
import type { MemberInfo, Message } from '../../shared/schema.js';
import type { ListedMessage } from '../controllers/conversation-controller.js';
import { LongPressController } from '../controllers/long-press-controller.js';
import { MessageAnnouncer } from '../controllers/message-announcer.js';
import { MessageSelectionController } from '../controllers/message-selection-controller.js';
import { MessageWindowController } from '../controllers/message-window-controller.js';
import { RovingFocusController } from '../controllers/roving-focus-controller.js';
import { isForwardable } from '../data/messages/forwarding.js';
import { runPlaces, type RunPlace } from '../data/messages/message-runs.js';
import { reactorNames, type ReactionSummary } from '../data/messages/reactions.js';
import { firstUnreadId, unreadIn } from '../data/messages/unread-position.js';
import type { ReadReceipt } from '../data/messages/unread.js';
import { messageListStyles } from './chat-message-list-styles.js';
import { jumpToLatestStyles, renderJumpToLatest } from './jump-to-latest.js';
import type { MessageActions } from './message-actions.js';
import type { EditSaveDetail } from './message-editor.js';
import { pinIcon } from './composer-icons.js';
import { renderPicture, renderText, snippet, stateIcon } from './message-parts.js';
import { dayLabel, formatFullTime, renderTime } from './message-time.js';
import './message-editor.js';
import './file-attachment.js';
import './voice-player.js';

/** Detail of `message-retry`, `message-discard`, `message-reply`, `message-delete`. */
export interface MessageActionDetail {
  id: string;
}
export interface MessageEditDetail {
  id: string;
  text: string;
}
export interface ReactionToggleDetail {
  id: string;
  emoji: string;
}
export interface PictureOpenDetail {
  src: string;
  alt: string;
  width: number | undefined;
  height: number | undefined;
}
/**
 * How many numbers back an unread message may be for the list to open at it
 * through older segments (about two at the default bound of 1,000 messages,
 * docs/SEGMENTS.md): further back, it opens at the oldest message listed.
 */
const UNREAD_REACH_BACK = 2000;

/** Detail of `list-position`: whether the newest message is in view (the conversation counts as read then). */
export interface ListPositionDetail {
  atBottom: boolean;
}

/**
 * The messages of one conversation, in the shared display order, with day
 * separators. Renders the newest page first and older pages as the person
 * scrolls up, keeping what they look at in place. Each message offers reply,
 * react, and for my own edit and delete (on hover or focus; on touch screens
 * after a tap). Fires `message-reply`, `message-edit`, `message-delete`,
 * `reaction-toggle`, `picture-open`, `list-position`, and for failed
 * messages `message-retry` / `message-discard`.
 */
@customElement('chat-message-list')
@localized()
export class ChatMessageList extends LitElement {
  static override styles = [messageListStyles, jumpToLatestStyles];

  @property({ attribute: false }) messages: ListedMessage[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property({ attribute: false }) reactions: Map<string, ReactionSummary[]> = new Map();
  /** Ids of the pinned messages (their actions say Unpin; a pin marks them). */
  @property({ attribute: false }) pinned: ReadonlySet<string> = new Set();
  /** I may pin and unpin here (shared/pin-rights.ts): the Pin action shows. */
  @property({ attribute: false }) canPin = true;
  @property({ attribute: false }) receipt: ReadReceipt | null = null;
  /** A local copy of my own picture, so it is not fetched again. */
  @property({ attribute: false }) previewOf: (messageId: string) => string | undefined = () => undefined;
  @property() kind = 'direct';
  @property() meId = '';
  @property() meName = '';
  /** Changing this (another conversation) jumps to the newest message. */
  @property() conversationId = '';
  /** No replies, edits or reactions (the conversation is read-only here, or its replica is refused). */
  @property({ type: Boolean }) readOnly = false;
  /** My read marker now (the highest sequence number I have read): where the unread part starts, how much is below. */
  @property({ type: Number }) readUpTo = 0;
  /** The replica has synced with the server: what was unread on opening is here now. */
  @property({ type: Boolean }) synced = false;
  /** Older history than `messages` exists (an older segment, docs/SEGMENTS.md): reaching the top asks for it with `history-older`. */
  @property({ type: Boolean }) hasOlder = false;
  /** The first number of the oldest segment in `messages` (1 at the beginning): an unread number below it is in an older segment. */
  @property({ type: Number }) firstShownSeq = 1;

  @state() private editingId: string | undefined;
  /** `msgId emoji` whose reactors are shown after a long press. */
  @state() private whoFor: string | undefined;
  @state() private flashId: string | undefined;
  /** No part of the newest message is in view: the jump-to-latest button shows. */
  @state() private scrolledUp = false;
  /** The first unread message when the conversation opened: the "New messages" divider goes above it. */
  @state() private unreadFrom: string | undefined;
  /** Opening: where to start (the first unread message, or the newest) is not decided yet. */
  private opening = true;
  /** My read marker as the conversation opened; reading moves the live one, the divider stays. */
  private readUpToAtOpen: number | undefined;

  private ids: string[] = [];
  private readonly paging = new MessageWindowController(this, {
    ids: () => this.ids,
    onPosition: (atBottom) => {
      this.dispatchEvent(new CustomEvent<ListPositionDetail>('list-position', { detail: { atBottom }, bubbles: true, composed: true }));
    },
    onNewestSeen: (seen) => (this.scrolledUp = !seen),
    onRevealed: (id) => this.flash(id),
    hasOlderHistory: () => this.hasOlder,
    onOlderHistory: () => this.dispatchEvent(new CustomEvent('history-older', { bubbles: true, composed: true })),
  });
  private byId = new Map<string, Message>();
  /** Each message's place in its run of one person's messages (name once, bubbles close together). */
  private runs = new Map<string, RunPlace>();
  /** What `runs` was worked out from (a run starts at the divider too). */
  private runsOf: { messages: ListedMessage[]; unreadFrom: string | undefined } = { messages: [], unreadFrom: undefined };
  private readonly longPress = new LongPressController(this);
  /** What pressed the shown actions last ('touch', 'mouse', 'pen'; '' for none): an action done by a finger closes them. */
  private actionPointer = '';
  /** Whose actions show; `<message-actions>` loads on first use. */
  private readonly selection = new MessageSelectionController(this, () => import('./message-actions.js'));
  /** One tab stop, arrows between messages. */
  private readonly roving = new RovingFocusController(this);
  /** Incoming messages, read out politely. */
  private readonly announcer = new MessageAnnouncer();
  /** The message in the tab order, chosen at each render. */
  private tabStop: string | undefined;

  override render() {
    return html`${this.renderList()}${this.renderJumpToLatest()}<div class="announcer" role="log" aria-live="polite" data-testid="message-announcer">
      ${repeat(
        this.announcer.lines,
        (line) => line.key,
        (line) => html`<p>${line.text}</p>`,
      )}</div>`;
  }

  private renderList() {
    if (this.messages.length === 0) return html`<p class="empty">${msg('No messages yet. Say hello!')}</p>`;
    const start = this.paging.start();
    // Reading far back, the newest pages are left out (MessageWindowController): a few hundred rows, not thousands.
    const end = this.paging.end();
    let lastDay = '';
    // Keyed, so adding older pages above never hands one message's elements (and pictures) to another.
    const items: Array<{ key: string; day?: string; unread?: true; entry?: ListedMessage }> = [];
    for (const entry of this.messages.slice(start, end)) {
      // A time that cannot be shown (an old document's) gets no separator: the message stays under the last day.
      const day = dayLabel(entry.message.createdAt) ?? lastDay;
      if (day !== lastDay) items.push({ key: `day ${entry.message.id}`, day });
      lastDay = day;
      if (entry.message.id === this.unreadFrom) items.push({ key: 'unread', unread: true });
      items.push({ key: entry.message.id, entry });
    }
    this.tabStop = this.roving.tabStop(
      items.flatMap((item) => (item.entry && item.entry.message.kind !== 'system' ? [item.entry.message.id] : [])),
    );
    return html`<ol aria-label=${msg('Messages')} @keydown=${this.listKeydown}>
      ${
        start > 0 || this.hasOlder
          ? html`<li><button type="button" class="older" data-testid="load-older" aria-busy=${this.paging.loadingOlder() ? 'true' : 'false'}
            @click=${this.paging.loadOlder}>${this.paging.loadingOlder() ? msg('Loading earlier messages…') : msg('Show earlier messages')}</button></li>`
          : nothing
      }
      ${repeat(
        items,
        (item) => item.key,
        (item) =>
          item.entry
            ? this.renderRow(item.entry)
            : item.unread
              ? html`<li class="unread-divider" data-testid="unread-divider"><span>${msg('New messages')}</span></li>`
              : html`<li class="day">${item.day}</li>`,
      )}
    </ol>`;
  }

  /** Over the bottom of the list while the newest message is out of view, with how many unread messages are below. */
  private renderJumpToLatest() {
    if (!this.scrolledUp || this.messages.length === 0) return nothing;
    return renderJumpToLatest(unreadIn(this.messages, this.readUpTo, this.meId), this.jumpToLatest);
  }

  private readonly jumpToLatest = () => {
    this.paging.toLatest();
    // The button goes away: the keyboard's place moves to the newest message rather than to the page.
    void this.updateComplete.then(() => {
      const newest = this.messages.at(-1)?.message.id;
      const item = newest ? this.renderRoot.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(newest)}"]`) : null;
      item?.focus({ preventScroll: true });
    });
  };

  /**
   * Everything one message's row is drawn from: the row renders again only
   * when one of these changed. The list renders every shown message on each
   * update (thousands once older segments are scrolled through), and an older
   * page or segment joining above changes none of the rows already shown.
   */
  private renderRow(entry: ListedMessage) {
    return guard(this.rowInputs(entry), () => this.renderMessage(entry));
  }

  private rowInputs({ message, state, failure, upload }: ListedMessage): unknown[] {
    const id = message.id;
    const run = this.runs.get(id);
    const original = message.replyTo ? this.byId.get(message.replyTo) : undefined;
    const reactions = this.reactions.get(id);
    const receipt = this.receipt?.messageId === id ? this.receipt : undefined;
    return [
      message,
      state,
      failure?.reason,
      failure?.retryable,
      upload?.previewUrl,
      upload?.progress,
      message.attachments?.length ? this.previewOf(id) : undefined,
      currentLocale(),
      this.kind,
      this.meId,
      this.nameOf(message.author),
      run?.first,
      run?.last,
      this.selection.selected === id,
      this.selection.shows(id),
      this.flashId === id,
      this.tabStop === id,
      this.editingId === id,
      this.pinned.has(id),
      this.canPin,
      this.readOnly,
      receipt?.readBy,
      receipt !== undefined,
      original,
      original ? this.nameOf(original.author) : undefined,
      reactions,
      // Who reacted is shown by name: a name changing shows there too.
      reactions ? this.members : undefined,
      this.whoFor?.startsWith(`${id} `) ? this.whoFor : undefined,
    ];
  }

  private renderMessage(entry: ListedMessage) {
    const { message, state, failure } = entry;
    if (message.kind === 'system') {
      return html`<li class="system" data-testid="message" data-message-id=${message.id} data-state=${state}>
        <span data-testid="message-text">${systemMessageText(message)}</span>
      </li>`;
    }
    const mine = message.author === this.meId;
    const author = this.nameOf(message.author);
    const run = this.runs.get(message.id);
    // The name shows once per run, only in groups, never on my own bubbles; screen readers still hear it on each message.
    const nameShown = this.kind === 'group' && !mine && (run?.first ?? true);
    const classes = [
      'message',
      mine ? 'mine' : '',
      run && !run.first ? 'run-next' : '',
      run && !run.last ? 'run-more' : '',
      this.selection.selected === message.id ? 'selected' : '',
      this.flashId === message.id ? 'flash' : '',
    ];
    return html`<li class=${classes.join(' ')} data-testid="message" data-message-id=${message.id} data-state=${state}
      data-author=${message.author} tabindex=${message.id === this.tabStop ? '0' : '-1'} @click=${(event: Event) => this.select(event, message.id)}
      @pointerenter=${() => this.selection.activate(message.id)} @focusin=${() => this.focused(message.id)}
      @pointerdown=${(event: PointerEvent) => this.longPress.start(event, () => this.selection.select(message.id))}
      @pointerup=${this.longPress.cancel} @pointercancel=${this.longPress.cancel} @pointerleave=${this.longPress.cancel}>
      <div class="bubble">
        <span class=${nameShown ? 'author' : 'author unseen'}>${message.author === ROBOT_USER_ID ? '🤖 ' : ''}${author}</span>
        ${message.forwarded && !message.deleted ? html`<span class="forwarded" data-testid="message-forwarded">${msg('Forwarded')}</span>` : nothing}
        ${message.replyTo && !message.deleted ? this.renderQuote(message.replyTo) : nothing}
        ${this.renderBody(entry, author)}
        <span class="meta">
          ${
            message.editedAt && !message.deleted
              ? html`<span data-testid="message-edited" title=${msg(str`Edited ${formatFullTime(message.editedAt)}`).trim()}>${msg('edited')}</span>`
              : nothing
          }
          ${this.pinned.has(message.id) ? html`<span class="pin-mark" data-testid="message-pinned" role="img" title=${msg('Pinned')} aria-label=${msg('Pinned')}>${pinIcon}</span>` : nothing}
          ${renderTime(message.createdAt)}
          ${mine ? stateIcon(state) : nothing}
          ${
            this.receipt?.messageId === message.id
              ? html`<span class="receipt" data-testid="read-receipt">${this.kind === 'group' ? msg(str`Read by ${this.receipt.readBy}`) : msg('Read')}</span>`
              : nothing
          }
        </span>
      </div>
      ${this.renderReactions(message)}
      ${failure ? this.renderFailure(message.id, failure) : this.renderActions(entry)}
    </li>`;
  }

  private renderBody({ message, upload }: ListedMessage, author: string) {
    if (message.deleted) return html`<p class="text deleted" data-testid="message-deleted">${msg('Message deleted')}</p>`;
    if (this.editingId === message.id) {
      return html`<message-editor .text=${message.text} @edit-cancel=${this.cancelEdit}
        @edit-save=${(event: CustomEvent<EditSaveDetail>) => this.saveEdit(message.id, event.detail.text)}></message-editor>`;
    }
    if (message.kind === 'file' || message.kind === 'voice') {
      return html`${this.renderFileOrVoice(message, upload?.previewUrl)}${upload ? this.renderUpload(upload.progress) : nothing}`;
    }
    const pictures = (message.attachments ?? []).filter((a) => a.mime.startsWith('image/'));
    return html`
      ${pictures.map((attachment) => {
        const src =
          upload?.previewUrl ??
          this.previewOf(message.id) ??
          (attachment.blobId ? `/api/blobs/${encodeURIComponent(attachment.blobId)}` : undefined);
        const alt = message.text ? message.text.slice(0, 100) : msg(str`Picture from ${author}`);
        return renderPicture(attachment, src, alt, () =>
          this.openPicture({ src: src ?? '', alt, width: attachment.width, height: attachment.height }),
        );
      })}
      ${upload && !message.deleted ? this.renderUpload(upload.progress) : nothing}
      ${message.text ? renderText(message.text) : nothing}
    `;
  }

  /** A file (name, type, size, Download) or a voice message (play, waveform, length): from the local copy while it waits, then from the server (issue 15). */
  private renderFileOrVoice(message: Message, localUrl: string | undefined) {
    const attachment = message.attachments?.[0];
    if (!attachment) return nothing;
    const local = localUrl ?? this.previewOf(message.id);
    const stored = attachment.blobId ? `/api/blobs/${encodeURIComponent(attachment.blobId)}` : undefined;
    if (message.kind === 'voice') {
      return html`<voice-player data-testid="message-voice" .src=${local ?? stored} .durationMs=${attachment.durationMs ?? 0}
        .peaks=${attachment.peaks ?? []}></voice-player>`;
    }
    const name = attachment.name ?? '';
    const href = local ?? (stored ? `${stored}?download=${encodeURIComponent(name)}` : undefined);
    return html`<file-attachment data-testid="message-file" .blobId=${attachment.blobId} .name=${name} .mime=${attachment.mime}
      .size=${attachment.size ?? 0} .href=${href}></file-attachment>`;
  }

  private renderUpload(progress: number | undefined) {
    return html`<progress data-testid="upload-progress" max="1" value=${ifDefined(progress)}
      aria-label=${progress === undefined ? msg('Waiting to upload') : msg(str`Uploading, ${formatNumber(progress, { style: 'percent' })}`)}></progress>`;
  }

  private renderQuote(replyTo: string) {
    const original = this.byId.get(replyTo);
    const text = !original
      ? msg('Message not available')
      : original.deleted
        ? msg('Message deleted')
        : original.text
          ? snippet(original.text)
          : original.kind === 'image'
            ? `📷 ${msg('Picture')}`
            : original.kind === 'file'
              ? `📎 ${original.attachments?.[0]?.name ?? ''}`
              : original.kind === 'voice'
                ? `🎤 ${msg('Voice message')}`
                : '';
    return html`<button type="button" class="quote" data-testid="reply-quote" @click=${() => this.scrollToMessage(replyTo)}>
      <strong>${original ? this.nameOf(original.author) : ''}</strong><span>${text}</span>
    </button>`;
  }

  private renderReactions(message: Message) {
    const list = this.reactions.get(message.id);
    if (!list || list.length === 0 || message.deleted) return nothing;
    const whoKey = this.whoFor?.startsWith(`${message.id} `) ? this.whoFor : undefined;
    const who = whoKey ? list.find((r) => `${message.id} ${r.emoji}` === whoKey) : undefined;
    return html`<div class="reactions">
      ${list.map((reaction) => {
        const names = reactorNames(reaction.userIds, (id) => this.nameOf(id), this.meId);
        const mine = reaction.userIds.includes(this.meId);
        return html`<button type="button" class="reaction" data-testid="reaction" data-emoji=${reaction.emoji}
          aria-pressed=${mine ? 'true' : 'false'} title=${names} aria-label=${`${reaction.emoji} ${names}`} ?disabled=${this.readOnly}
          @click=${(event: Event) => this.reactionClick(event, message.id, reaction.emoji)}
          @pointerdown=${(event: PointerEvent) => this.longPress.start(event, () => (this.whoFor = `${message.id} ${reaction.emoji}`))}
          @pointerup=${this.longPress.cancel} @pointercancel=${this.longPress.cancel} @pointerleave=${this.longPress.cancel}>
          <span aria-hidden="true">${reaction.emoji}</span><span>${reaction.userIds.length}</span>
        </button>`;
      })}
      ${who ? html`<span class="who" role="status">${reactorNames(who.userIds, (id) => this.nameOf(id), this.meId, 20)}</span>` : nothing}
    </div>`;
  }

  private renderActions({ message, upload }: ListedMessage) {
    if (this.readOnly || message.deleted || upload || this.editingId === message.id || !this.selection.shows(message.id)) return nothing;
    return html`<message-actions class="actions" .messageId=${message.id} ?mine=${message.author === this.meId}
      ?pinned=${this.pinned.has(message.id)} .pinnable=${this.canPin} ?copyable=${message.text.trim() !== ''} ?forwardable=${isForwardable(message)}
      ?editable=${message.kind !== 'file' && message.kind !== 'voice'}
      @message-edit-start=${() => this.startEdit(message.id)} @reaction-toggle=${this.actionDone}
      @pointerdown=${(event: PointerEvent) => (this.actionPointer = event.pointerType)}
      @click=${(event: Event) => this.actionsClicked(event, message.id)}></message-actions>`;
  }

  private renderFailure(id: string, failure: NonNullable<ListedMessage['failure']>) {
    return html`<div class="failure" role="alert">
      <span data-testid="message-failure">${failure.retryable ? msg(str`Not sent: ${failure.reason}`) : msg(str`Cannot be sent: ${failure.reason}`)}</span>
      ${
        failure.retryable
          ? html`<button type="button" data-testid="message-retry" @click=${() => this.act('message-retry', id)}>${msg('Retry')}</button>`
          : nothing
      }
      <button type="button" data-testid="message-discard" @click=${() => this.act('message-discard', id)}>${msg('Discard')}</button>
    </div>`;
  }

  /** Scrolls to a message (loading older pages if needed) and highlights it briefly. */
  scrollToMessage(id: string): void {
    this.paging.reveal(id);
  }

  private flash(id: string): void {
    this.flashId = id;
    setTimeout(() => {
      if (this.flashId === id) this.flashId = undefined;
    }, 1600);
  }

  private nameOf(userId: string): string {
    const member = this.members[userId]?.name;
    if (member) return member;
    if (userId === ROBOT_USER_ID) return robotName();
    return userId === this.meId ? this.meName : 'Someone';
  }

  private readonly listKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      // Putting shown actions away uses the key up; with nothing shown, it goes on (on a phone, back to the list).
      if (this.selection.active !== undefined || this.selection.selected !== undefined) event.preventDefault();
      this.selection.reset();
    } else this.roving.keydown(event);
  };

  private focused(id: string) {
    this.selection.activate(id);
    this.roving.focused(id);
  }

  private act(type: 'message-retry' | 'message-discard', id: string) {
    this.dispatchEvent(new CustomEvent<MessageActionDetail>(type, { detail: { id }, bubbles: true, composed: true }));
  }

  private select(event: Event, id: string) {
    if (!this.longPress.endsLongPress()) this.selection.tap(event, id);
  }

  private reactionClick(event: Event, id: string, emoji: string) {
    event.stopPropagation();
    // A long press shows who reacted; it is not a toggle.
    if (this.longPress.endsLongPress()) return;
    this.dispatchEvent(new CustomEvent<ReactionToggleDetail>('reaction-toggle', { detail: { id, emoji }, bubbles: true, composed: true }));
  }

  /**
   * While a question or a menu of the actions is open, they stay shown. An
   * action done with a finger puts them away altogether: on a touch screen no
   * pointer leaves the message to hide them (issue 15). With a mouse or the
   * keyboard they stay while the pointer or the focus is there.
   */
  private actionsClicked(event: Event, id: string) {
    if ((event.currentTarget as MessageActions).busy) this.selection.select(id);
    else this.actionDone();
  }

  private readonly actionDone = () => {
    if (this.actionPointer === 'touch') this.selection.reset();
    else this.selection.clear();
  };

  private startEdit(id: string) {
    this.editingId = id;
    this.selection.clear();
  }

  private readonly cancelEdit = () => {
    this.editingId = undefined;
  };

  private saveEdit(id: string, text: string) {
    this.dispatchEvent(new CustomEvent<MessageEditDetail>('message-edit', { detail: { id, text }, bubbles: true, composed: true }));
    this.editingId = undefined;
  }

  private openPicture(detail: PictureOpenDetail) {
    if (!detail.src) return;
    this.dispatchEvent(new CustomEvent<PictureOpenDetail>('picture-open', { detail, bubbles: true, composed: true }));
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('conversationId')) {
      this.paging.reset();
      this.editingId = this.whoFor = undefined;
      this.selection.reset();
      this.roving.reset();
      this.opening = true;
      this.unreadFrom = this.readUpToAtOpen = undefined;
    }
    if (changed.has('messages') || changed.has('conversationId')) {
      this.announcer.update(
        this.conversationId,
        this.messages.map((entry) => entry.message),
        this.meId,
        (id) => this.nameOf(id),
      );
    }
    if (changed.has('messages')) {
      this.byId = new Map(this.messages.map((entry) => [entry.message.id, entry.message]));
      this.ids = this.messages.map((entry) => entry.message.id);
      // My own new message always comes into view.
      const previous = changed.get('messages') as ListedMessage[] | undefined;
      const newest = this.messages.at(-1)?.message;
      const mineAndNew = Boolean(previous && newest && newest.author === this.meId && !previous.some((m) => m.message.id === newest.id));
      this.paging.messagesChanged(mineAndNew);
    }
    if (this.opening) this.decideWhereToOpen();
    if (this.runsOf.messages !== this.messages || this.runsOf.unreadFrom !== this.unreadFrom) {
      this.runsOf = { messages: this.messages, unreadFrom: this.unreadFrom };
      this.runs = runPlaces(
        this.messages.map((entry) => entry.message),
        this.unreadFrom,
      );
    }
  }

  /**
   * Opens at the first unread message, under the divider, when there is
   * one; else at the newest. Unread messages may come only with the first
   * sync (this device had the conversation from before): until then a first
   * unread one that arrives still moves the list there, after that new
   * messages are just new.
   */
  private decideWhereToOpen(): void {
    if (this.messages.length === 0) return;
    this.readUpToAtOpen ??= this.readUpTo;
    // The first unread message is in an older segment than those listed: bring them in first (one per update,
    // each once), so the list opens at it under the divider. Not for a long way back: past that, the oldest listed.
    const unlisted = this.firstShownSeq - 1 - this.readUpToAtOpen;
    if (this.hasOlder && unlisted > 0 && unlisted <= UNREAD_REACH_BACK) {
      this.dispatchEvent(new CustomEvent('history-older', { bubbles: true, composed: true }));
      return;
    }
    const first = firstUnreadId(this.messages, this.readUpToAtOpen, this.meId);
    if (first) {
      this.unreadFrom = first;
      this.paging.openAt(first);
      this.opening = false;
    } else if (this.synced) {
      this.opening = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-message-list': ChatMessageList;
  }
}
