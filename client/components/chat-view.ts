import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, query, state } from 'lit/decorators.js';
import { CloseCode } from '../../shared/protocol.js';
import { closeCodeText } from '../data/sync/close-code-text.js';
import type { MentionCandidate } from '../../shared/mentions.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { conversationTitle, membersWithRemarks, type Remarks } from '../data/people/display-names.js';
import { ConversationController } from '../controllers/conversation-controller.js';
import { FileDropController } from '../controllers/file-drop-controller.js';
import { canAskForNotifications } from '../controllers/message-alerts-controller.js';
import { MessageChanges } from '../controllers/message-changes.js';
import { MessageToolsController } from '../controllers/message-tools-controller.js';
import { ReadMarkerController } from '../controllers/read-marker-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { PresenceController } from '../controllers/presence-controller.js';
import { TypingController } from '../controllers/typing-controller.js';
import { ViewingController } from '../controllers/viewing-controller.js';
import { push } from '../data/api/push-client.js';
import { isContaminated, type Recovery } from '../data/refusals/refusal-recovery.js';
import { typingLabel } from '../data/messages/typing.js';
import { lastSeenText } from '../data/people/last-seen-text.js';
import type { OutgoingFile } from '../data/pictures/picture-store.js';
import type { ChatComposer, ChatSendDetail, ChatSendFilesDetail, ChatSendPicturesDetail, ReplyTarget } from './chat-composer.js';
import type { VoiceSendDetail } from './voice-recorder.js';
import type {
  ChatMessageList,
  ListPositionDetail,
  MessageActionDetail,
  MessageEditDetail,
  PictureOpenDetail,
  ReactionToggleDetail,
} from './chat-message-list.js';
import { bellIcon, moreIcon, searchIcon } from './composer-icons.js';
import { robotAvatar } from './conversation-avatar.js';
import { chatViewStyles } from './chat-view-styles.js';
import { formStyles } from './form-styles.js';
import { mayFocusFieldUnasked } from './initial-focus.js';
import { snippet } from './message-parts.js';
import './chat-composer.js';
import './chat-message-list.js';
import './mute-button.js';
import type { SearchOpenDetail } from './search-panel.js';
import './person-avatar.js';

/**
 * One conversation: header with a back button (narrow screens), messages,
 * who is typing, composer. It wires the controllers that do the work (the
 * document, typing, my changes and read marker, dropped pictures) to the
 * list's and composer's events, and opens pictures full size. Fires
 * `close-conversation`. Loaded apart from the app shell (chat-home).
 */
@customElement('chat-view')
@localized()
export class ChatView extends LitElement {
  static override styles = [formStyles, chatViewStyles];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() conversationId: string | undefined;
  /** My private names for friends (from my friend list): they name authors and direct chats. */
  @property({ attribute: false }) remarks: Remarks | undefined;
  /** Set when I am no longer a member: the history stays readable, nothing can be written. */
  @property() readOnlyReason: string | undefined;
  /** A search result chose a message: shown (older pages rendered first) and highlighted once it is here. */
  @property({ attribute: false }) reveal: SearchOpenDetail | undefined;
  /** The search field inside this conversation is open. */
  @state() private searching = false;
  /** The phone header's "More" menu is open. */
  @state() private menuOpen = false;
  /** The message to show once the list has it (it may still be syncing). */
  private revealing: string | undefined;
  private handledReveal: SearchOpenDetail | undefined;
  @state() private replyTo: ReplyTarget | null = null;
  @state() private picture: PictureOpenDetail | undefined;
  @state() private actionError = '';
  @query('chat-composer') private composer?: ChatComposer;
  @query('chat-message-list') private list?: ChatMessageList;
  /** A conversation opened: the message box takes focus once it is there (issue 16). */
  private focusOnOpen = false;

  private readonly conversation = new ConversationController(this, () => ({
    session: this.session,
    conversationId: this.conversationId,
  }));
  private readonly typing = new TypingController(this, () => ({
    // Presence lives in the newest segment, where the server's robot and push look (docs/SEGMENTS.md).
    awareness: this.conversation.writer()?.provider.awareness,
    meId: this.session?.me.id ?? '',
    meName: this.session?.me.name ?? '',
    nameOf: (userId) => this.members()[userId]?.name ?? (userId === ROBOT_USER_ID ? robotName() : undefined),
  }));

  /** The other person's online state or last seen, in a direct conversation (issue 15). */
  private readonly presence = new PresenceController(this, () => this.session);

  /** Tells the server I am looking at this conversation, so it sends me no push for it. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the controller works through its lifecycle hooks; the field keeps it.
  private readonly viewing = new ViewingController(this, () => ({
    awareness: this.conversation.writer()?.provider.awareness,
    conversationId: this.conversationId,
  }));

  private readonly changes = new MessageChanges(() => ({
    connection: this.conversation.writer(),
    holderOf: (id) => this.conversation.holderOf(id),
    highest: () => this.conversation.highestShown(),
    changed: ({ segment, connection }) => {
      if (this.conversationId) this.session?.changedSegment(this.conversationId, segment, connection);
    },
    meId: this.session?.me.id,
    writable: this.writable(),
    report: (error) => (this.actionError = error),
  }));

  private readonly readMarker = new ReadMarkerController(this, () => ({
    connection: this.conversation.writer(),
    writable: this.writable(),
    markRead: () => void this.changes.markRead(),
    listRendered: () => this.list?.updateComplete ?? Promise.resolve(true),
  }));

  /** Copy, forward and pin, with the pinned bar and the forward dialog (issue 15). */
  private readonly tools = new MessageToolsController(this, () => ({
    session: this.session,
    root: this.conversation.connection,
    messageOf: (id) => this.conversation.messages().find((entry) => entry.message.id === id)?.message,
    targets: () =>
      (this.session?.conversations() ?? []).filter((c) => !c.ended).map((c) => ({ id: c.id, title: conversationTitle(c, this.remarks) })),
    nameOf: (userId) =>
      this.members()[userId]?.name ??
      (userId === ROBOT_USER_ID ? robotName() : userId === this.session?.me.id ? this.session.me.name : msg('Someone')),
    writable: this.writable(),
    report: (error) => (this.actionError = error),
    scrollTo: (id) => this.list?.scrollToMessage(id),
  }));

  private readonly drop = new FileDropController(this, {
    accepts: () => Boolean(this.conversationId),
    onFiles: (files) => void this.composer?.addFiles(files),
  });

  constructor() {
    super();
    // The title comes from the person's conversation list.
    new SessionController(this, () => this.session);
  }

  override render() {
    const session = this.session;
    const connection = this.conversation.connection;
    const writer = this.conversation.writer();
    if (!session || !this.conversationId || !connection || !writer) {
      return html`<div class="placeholder">${msg("Pick a conversation, or start one with someone's email.")}</div>`;
    }
    const stop = connection.state.phase === 'stopped' ? connection.state.stopCode : null;
    const recovery = this.conversation.recovery();
    const messages = this.conversation.messages();
    const typing = typingLabel(this.typing.names());
    return html`
      <header>
        <button class="link back" type="button" aria-label=${msg('Back to conversations')} data-testid="back" @click=${this.back}>
          ←
        </button>
        ${this.renderAvatar()}
        <div class="title">
          <h2 data-testid="conversation-title">${this.heading()}</h2>
          ${this.renderPresence()}
        </div>
        <button type="button" class="secondary search-toggle" data-testid="conversation-search" aria-label=${msg('Search in this conversation')}
          aria-expanded=${this.searching ? 'true' : 'false'} @click=${this.toggleSearch}>${searchIcon}</button>
        ${this.renderActions()}
      </header>
      ${
        this.searching
          ? html`<search-panel class="in-chat" .conversationId=${this.conversationId} @search-open=${() => (this.searching = false)}></search-panel>`
          : nothing
      }
      ${
        this.readOnlyReason
          ? html`<p class="notice" role="status" data-testid="ended-notice">${this.readOnlyReason}</p>`
          : stop === CloseCode.forbidden
            ? html`<p class="error" role="alert" data-testid="conversation-error">${closeCodeText(stop)}</p>`
            : nothing
      }
      ${this.renderRecovery(recovery)}
      ${this.actionError ? html`<p class="error" role="alert" @click=${() => (this.actionError = '')}>${this.actionError}</p>` : nothing}
      ${this.tools.renderPinnedBar()}
      ${
        stop === CloseCode.forbidden && messages.length === 0
          ? html`<div class="placeholder"></div>`
          : !(connection.state.localLoaded && writer.state.localLoaded) && messages.length === 0
            ? html`<div class="placeholder">${msg('Loading…')}</div>`
            : html`<chat-message-list .messages=${messages} .members=${this.members()} .meId=${session.me.id}
              .meName=${session.me.name} .conversationId=${this.conversationId} .kind=${this.conversation.kind() ?? 'direct'}
              .reactions=${this.conversation.reactions()} .receipt=${this.conversation.receipt(session.me.id)}
              .previewOf=${this.previewOf} ?readOnly=${!this.writable()}
              .readUpTo=${this.conversation.readUpTo(session.me.id)} ?synced=${writer.state.synced}
              ?hasOlder=${this.conversation.hasOlder()} .firstShownSeq=${this.conversation.firstShownSeq()} @history-older=${() => this.conversation.loadOlder()}
              @message-retry=${this.retry} @message-discard=${this.discard} @message-reply=${this.reply}
              @message-edit=${(event: CustomEvent<MessageEditDetail>) => void this.changes.edit(event.detail.id, event.detail.text)}
              @message-delete=${(event: CustomEvent<MessageActionDetail>) => void this.changes.delete(event.detail.id)}
              @reaction-toggle=${(event: CustomEvent<ReactionToggleDetail>) => void this.changes.toggleReaction(event.detail.id, event.detail.emoji)}
              @picture-open=${this.openPicture} .pinned=${this.tools.pinned()} .canPin=${this.tools.mayPin()} @message-copy=${this.tools.copy}
              @message-forward=${this.tools.forward} @message-pin=${this.tools.togglePin}
              @list-position=${(event: CustomEvent<ListPositionDetail>) => this.readMarker.position(event.detail.atBottom)}></chat-message-list>`
      }
      ${typing ? html`<p class="typing" data-testid="typing-indicator" aria-live="polite">${typing}</p>` : nothing}
      <chat-composer .mentionables=${this.mentionables()} ?hidden=${Boolean(this.readOnlyReason)} ?disabled=${stop === CloseCode.forbidden || Boolean(this.readOnlyReason)} .replyTo=${this.replyTo} @chat-send=${this.send}
        @chat-send-pictures=${this.sendPictures} @chat-send-files=${this.sendFiles} @voice-send=${this.sendVoice} @chat-typing=${() => this.typing.typed()}
        @chat-typing-stop=${() => this.typing.stopped()} @reply-cancel=${() => (this.replyTo = null)}></chat-composer>
      ${this.drop.dragging ? html`<div class="drop" aria-hidden="true">${msg('Drop pictures or files to send them')}</div>` : nothing}
      ${
        this.picture
          ? html`<picture-lightbox .src=${this.picture.src} .alt=${this.picture.alt} .width=${this.picture.width}
            .height=${this.picture.height} @lightbox-close=${() => (this.picture = undefined)}></picture-lightbox>`
          : nothing
      }
      ${this.tools.renderOverlays()}
    `;
  }

  /**
   * The conversation's other actions (profile or info, mute, notifications).
   * A desktop shows them in the row; a phone's row has room only for the
   * name, so there they open from "More" (chat-view-styles.ts), one DOM for
   * both so the actions keep their place in the tab order.
   */
  private renderActions() {
    return html`<div class="more" @keydown=${this.menuKeydown} @focusout=${this.menuFocusOut}>
      <button type="button" class="secondary more-toggle" data-testid="header-more" aria-label=${msg('More actions')}
        aria-haspopup="true" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="header-actions"
        @click=${() => (this.menuOpen = !this.menuOpen)}>${moreIcon}</button>
      <div class="actions" id="header-actions" ?data-open=${this.menuOpen} @click=${this.menuChosen}>
        <slot name="actions"></slot>
        ${this.readOnlyReason ? nothing : html`<mute-button .conversationId=${this.conversationId}></mute-button>`}
        ${
          canAskForNotifications()
            ? html`<button type="button" class="secondary bell" data-testid="notifications-enable" aria-label=${msg('Notify me of new messages')} @click=${this.enableNotifications}>
              ${bellIcon}<span>${msg('Notify me')}</span></button>`
            : nothing
        }
      </div>
    </div>`;
  }

  /** Escape closes "More" and gives focus back to its button. */
  private readonly menuKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.menuOpen) return;
    // Used here: the phone's Escape-goes-back-to-the-list (back-to-list-controller.ts) leaves it alone.
    event.preventDefault();
    this.menuOpen = false;
    this.renderRoot.querySelector<HTMLButtonElement>('.more-toggle')?.focus();
  };

  /** An action chosen (a click on a button inside) closes the menu. */
  private readonly menuChosen = (event: Event) => {
    if (event.composedPath().some((node) => node instanceof HTMLButtonElement)) this.menuOpen = false;
  };

  /** Focus leaving the menu and its button (a tap elsewhere, Tab past it) closes it. */
  private readonly menuFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Element | null;
    const more = this.renderRoot.querySelector('.more');
    // Chat-home's slotted button is a child of this element, not of the menu, in the DOM.
    const inside = next && (more?.contains(next) || (next.parentElement === this && next.slot === 'actions'));
    if (!inside) this.menuOpen = false;
  };

  /** "online" or "last seen …" under a direct conversation's name, when the server lets me see it. */
  private renderPresence() {
    const peer = this.peerId();
    const presence = peer ? this.presence.of(peer) : undefined;
    if (!presence) return nothing;
    return html`<p class="presence" data-testid="conversation-presence" ?data-online=${presence.online}>${lastSeenText(presence)}</p>`;
  }

  /** The other person of a direct conversation. */
  private peerId(): string | undefined {
    if (this.conversation.kind() !== 'direct' || !this.conversationId) return undefined;
    return this.session?.conversation(this.conversationId)?.peerId;
  }

  private renderAvatar() {
    if (this.conversation.kind() === 'robot') return robotAvatar(36);
    const summary = this.conversationId ? this.session?.conversation(this.conversationId) : undefined;
    return html`<person-avatar .name=${this.heading()} .src=${summary?.avatar} .seed=${summary?.peerId ?? this.conversationId ?? ''}
      size="36"></person-avatar>`;
  }

  /** A conversation whose replica the relay refused: why, and the way out. */
  private renderRecovery(recovery: Recovery | undefined) {
    if (!recovery || !isContaminated(recovery)) {
      return recovery?.phase === 'resyncing'
        ? html`<p class="notice" role="status" data-testid="conversation-recovery" data-phase="resyncing">
            ${msg('Syncing this conversation afresh…')}
          </p>`
        : nothing;
    }
    return html`<div class="error recovery" role="alert" data-testid="conversation-recovery" data-phase=${recovery.phase}>
      <span>
        ${msg(str`The server refused a change from this device (${recovery.reason}), so this conversation stopped syncing. Unsent messages are set aside below.`)}
      </span>
      ${
        recovery.phase === 'refused'
          ? html`<button type="button" class="secondary" data-testid="conversation-resync" @click=${this.resync}>${msg('Sync again')}</button>`
          : nothing
      }
    </div>`;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('conversationId')) {
      this.replyTo = null;
      this.actionError = '';
      this.tools.reset();
      this.readMarker.reset();
      this.focusOnOpen = Boolean(this.conversationId) && mayFocusFieldUnasked();
      this.searching = false;
      this.menuOpen = false;
      this.revealing = undefined;
      // Opening someone's conversation is when their presence matters: ask unless the answer is fresh.
      this.presence.refreshSoon();
    }
    const reveal = this.reveal;
    if (reveal && reveal !== this.handledReveal && reveal.conversationId === this.conversationId) {
      this.handledReveal = reveal;
      this.revealing = reveal.messageId;
      // Shown from the search: the message box does not take focus from the result.
      if (reveal.messageId) this.focusOnOpen = false;
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    this.revealWhenListed();
    if (changed.has('conversationId') && changed.get('conversationId') !== undefined) this.composer?.clearPictures();
    if (this.focusOnOpen && this.composer && !this.readOnlyReason) {
      this.focusOnOpen = false;
      void this.focusComposer();
    }
  }

  /** The message a search chose, once the list holds it: scrolled to (older pages first) and highlighted by the list. */
  private revealWhenListed(): void {
    const id = this.revealing;
    const list = this.list;
    if (!id || !list) return;
    if (!this.conversation.messages().some((entry) => entry.message.id === id)) {
      // Not in the segments shown: found by the server's search in an older one. Open the one before the
      // oldest shown (once each; this runs again when it arrives), until the message is listed or none is left.
      if (this.conversation.hasOlder()) this.conversation.loadOlder();
      return;
    }
    this.revealing = undefined;
    void list.updateComplete.then(() => list.scrollToMessage(id));
  }

  private readonly toggleSearch = async () => {
    this.searching = !this.searching;
    if (!this.searching) return;
    await import('./search-panel.js');
    await this.updateComplete;
    const panel = this.renderRoot.querySelector('search-panel');
    await panel?.updateComplete;
    panel?.focus();
  };

  /** Puts focus in the message box (the skip link, a conversation opening). */
  async focusComposer(): Promise<void> {
    const composer = this.composer;
    if (!composer) return;
    await composer.updateComplete;
    composer.focus();
  }

  /** Whether I may write into the conversation now (a member still, the replica not refused, not forbidden). */
  private writable(): boolean {
    return !this.readOnlyReason && this.conversation.writable();
  }

  private readonly previewOf = (messageId: string) => this.conversation.previewOf(messageId);

  private retry(event: CustomEvent<MessageActionDetail>) {
    if (this.session && this.conversationId) this.session.retryMessage(this.conversationId, event.detail.id);
  }

  private discard(event: CustomEvent<MessageActionDetail>) {
    const pictures = this.conversation.pictures();
    if (pictures?.has(event.detail.id)) void pictures.discard(event.detail.id);
    else if (this.session && this.conversationId) this.session.discardMessage(this.conversationId, event.detail.id);
  }

  private resync() {
    if (this.session && this.conversationId) this.session.resyncConversation(this.conversationId);
  }

  private reply(event: CustomEvent<MessageActionDetail>) {
    const entry = this.conversation.messages().find((m) => m.message.id === event.detail.id);
    if (!entry) return;
    const { message } = entry;
    const author = this.members()[message.author]?.name ?? (message.author === ROBOT_USER_ID ? robotName() : msg('Someone'));
    this.replyTo = { id: message.id, author, text: message.text ? snippet(message.text, 80) : '📷 Picture' };
    this.composer?.focus();
  }

  private send(event: CustomEvent<ChatSendDetail>) {
    const session = this.session;
    if (!session || !this.conversationId) return;
    this.typing.stopped();
    const result = session.send(this.conversationId, event.detail.text, this.replyTo?.id);
    if (!result.ok) {
      this.actionError = result.message;
      return;
    }
    this.replyTo = null;
  }

  private async sendPictures(event: CustomEvent<ChatSendPicturesDetail>) {
    const conversationId = this.conversationId;
    const pictures = this.conversation.pictures() ?? (await this.conversation.loadPictures());
    if (!pictures || !conversationId) return;
    this.typing.stopped();
    const replyTo = this.replyTo?.id;
    this.replyTo = null;
    const { caption } = event.detail;
    for (const [index, picture] of event.detail.pictures.entries()) {
      await pictures.add({
        conversationId,
        bytes: picture.bytes,
        mime: picture.mime,
        width: picture.width,
        height: picture.height,
        caption: index === 0 ? caption : '',
        ...(index === 0 && replyTo ? { replyTo } : {}),
      });
    }
  }

  /** Each file its own message, through the same offline outbox as pictures (issue 15). */
  private async sendFiles(event: CustomEvent<ChatSendFilesDetail>) {
    for (const file of event.detail.files) {
      const bytes = await file.arrayBuffer();
      await this.queueUpload(bytes, file.type, { kind: 'file', name: file.name || 'file' });
    }
  }

  private async sendVoice(event: CustomEvent<VoiceSendDetail>) {
    const { bytes, mime, durationMs, peaks } = event.detail;
    await this.queueUpload(bytes, mime, { kind: 'voice', durationMs, peaks });
  }

  private async queueUpload(bytes: ArrayBuffer, mime: string, file: OutgoingFile) {
    const conversationId = this.conversationId;
    const outbox = this.conversation.pictures() ?? (await this.conversation.loadPictures());
    if (!outbox || !conversationId) return;
    const replyTo = this.replyTo?.id;
    this.replyTo = null;
    const type = mime || 'application/octet-stream';
    await outbox.add({ conversationId, bytes, mime: type, width: 0, height: 0, caption: '', file, ...(replyTo ? { replyTo } : {}) });
  }

  private async openPicture(event: CustomEvent<PictureOpenDetail>) {
    const detail = event.detail;
    await import('./picture-lightbox.js');
    this.picture = detail;
  }

  /** From the button's click (browsers ask only after a gesture): permission, then this device's push subscription. */
  private async enableNotifications() {
    const result = await push.enableDevice();
    if (result.error) this.actionError = result.error;
    this.requestUpdate();
  }

  /** Members with my remarks as their names. */
  private members() {
    return membersWithRemarks(this.conversation.members(), this.remarks);
  }

  private heading(): string {
    const id = this.conversationId;
    const summary = id ? this.session?.conversation(id) : undefined;
    if (summary?.title) return conversationTitle(summary, this.remarks);
    const written = this.conversation.writtenTitle();
    if (written) return written;
    if (this.conversation.kind() === 'robot') return robotName();
    // A new direct conversation may open before the list has it: name it after the other person.
    const others = Object.entries(this.members()).filter(([id]) => id !== this.session?.me.id);
    return others.length === 1 && others[0] ? others[0][1].name : msg('Conversation');
  }

  /** Who `@` offers in a group: the other members, by the names the server matches (not my remarks for them). */
  private mentionables(): MentionCandidate[] {
    if (this.conversation.kind() !== 'group') return [];
    const meId = this.session?.me.id;
    return Object.entries(this.conversation.members())
      .filter(([id]) => id !== meId)
      .map(([id, member]) => ({ id, name: member.name }));
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
