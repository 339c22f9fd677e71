import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type * as Y from 'yjs';
import { customElement, property, query, state } from 'lit/decorators.js';
import { CloseCode, describeCloseCode } from '../../shared/protocol.js';
import { ROBOT_NAME, ROBOT_USER_ID } from '../../shared/robot.js';
import { metaOf } from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { conversationTitle, membersWithRemarks, type Remarks } from '../data/people/display-names.js';
import { ConversationController } from '../controllers/conversation-controller.js';
import { canAskForNotifications } from '../controllers/message-alerts-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { TypingController } from '../controllers/typing-controller.js';
import { ViewingController } from '../controllers/viewing-controller.js';
import { push } from '../data/api/push-client.js';
import type { EditResult } from '../data/messages/message-edits.js';
import { newTextMessage } from '../data/messages/new-messages.js';
import { acceptsWrites, isContaminated, type Recovery } from '../data/refusals/refusal-recovery.js';
import { typingLabel } from '../data/messages/typing.js';
import type { ChatComposer, ChatSendDetail, ChatSendPicturesDetail, ReplyTarget } from './chat-composer.js';
import type {
  ListPositionDetail,
  MessageActionDetail,
  MessageEditDetail,
  PictureOpenDetail,
  ReactionToggleDetail,
} from './chat-message-list.js';
import { bellIcon } from './composer-icons.js';
import { robotAvatar } from './conversation-avatar.js';
import { chatViewStyles } from './chat-view-styles.js';
import { formStyles } from './form-styles.js';
import { snippet } from './message-parts.js';
import './chat-composer.js';
import './chat-message-list.js';
import './mute-button.js';
import './person-avatar.js';

type MessageEdits = typeof import('../data/messages/message-edits.js');
/** Edits, deletes, reactions and read markers (with the relay's rules) load when first needed. */
let editsModule: Promise<MessageEdits> | undefined;
function loadEdits(): Promise<MessageEdits> {
  editsModule ??= import('../data/messages/message-edits.js');
  return editsModule;
}

/**
 * One conversation: header with a back button (narrow screens), messages,
 * who is typing, composer. It writes my read marker while the newest message
 * is in view, takes dropped pictures and opens pictures full size. Fires
 * `close-conversation`. Loaded apart from the app shell (chat-home).
 */
@customElement('chat-view')
export class ChatView extends LitElement {
  static override styles = [
    formStyles,
    chatViewStyles,
  ];

  @property({ attribute: false }) session: ChatSession | undefined;
  @property() conversationId: string | undefined;
  /** My private names for friends (from my friend list): they name authors and direct chats. */
  @property({ attribute: false }) remarks: Remarks | undefined;
  /** Set when I am no longer a member: the history stays readable, nothing can be written. */
  @property() readOnlyReason: string | undefined;
  @state() private replyTo: ReplyTarget | null = null;
  @state() private picture: PictureOpenDetail | undefined;
  @state() private dragging = false;
  @state() private actionError = '';
  @query('chat-composer') private composer?: ChatComposer;
  /** Whether the newest message is in view (then what arrives counts as read). */
  private atBottom = true;

  private readonly conversation = new ConversationController(this, () => ({
    session: this.session,
    conversationId: this.conversationId,
  }));
  private readonly typing = new TypingController(this, () => ({
    awareness: this.conversation.connection?.provider.awareness,
    meId: this.session?.me.id ?? '',
    meName: this.session?.me.name ?? '',
    nameOf: (userId) => this.members()[userId]?.name ?? (userId === ROBOT_USER_ID ? ROBOT_NAME : undefined),
  }));

  /** Tells the server I am looking at this conversation, so it sends me no push for it. */
  private readonly viewing = new ViewingController(this, () => ({
    awareness: this.conversation.connection?.provider.awareness,
    conversationId: this.conversationId,
  }));

  constructor() {
    super();
    // The title comes from the person's conversation list.
    new SessionController(this, () => this.session);
  }

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
    // A picture dropped beside the conversation must not make the browser leave the app to show it.
    window.addEventListener('dragover', this.refuseFileDrop);
    window.addEventListener('drop', this.refuseFileDrop);
  }

  override disconnectedCallback() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.removeEventListener('dragover', this.onDragOver);
    this.removeEventListener('dragleave', this.onDragLeave);
    this.removeEventListener('drop', this.onDrop);
    window.removeEventListener('dragover', this.refuseFileDrop);
    window.removeEventListener('drop', this.refuseFileDrop);
    super.disconnectedCallback();
  }

  override render() {
    const session = this.session;
    const connection = this.conversation.connection;
    if (!session || !this.conversationId || !connection) {
      return html`<div class="placeholder">Pick a conversation, or start one with someone's email.</div>`;
    }
    const stop = connection.state.phase === 'stopped' ? connection.state.stopCode : null;
    const recovery = this.conversation.recovery();
    const messages = this.conversation.messages();
    const typing = typingLabel(this.typing.names());
    return html`
      <header>
        <button class="link back" type="button" aria-label="Back to conversations" data-testid="back" @click=${this.back}>
          ←
        </button>
        ${this.renderAvatar()}
        <h2 data-testid="conversation-title">${this.heading()}</h2>
        <slot name="actions"></slot>
        ${this.readOnlyReason ? nothing : html`<mute-button .conversationId=${this.conversationId}></mute-button>`}
        ${canAskForNotifications()
          ? html`<button type="button" class="secondary bell" data-testid="notifications-enable" aria-label="Notify me of new messages" @click=${this.enableNotifications}>
              ${bellIcon}<span>Notify me</span></button>`
          : nothing}
      </header>
      ${this.readOnlyReason
        ? html`<p class="notice" role="status" data-testid="ended-notice">${this.readOnlyReason}</p>`
        : stop === CloseCode.forbidden
          ? html`<p class="error" role="alert" data-testid="conversation-error">${describeCloseCode(stop)}</p>`
          : nothing}
      ${this.renderRecovery(recovery)}
      ${this.actionError ? html`<p class="error" role="alert" @click=${() => (this.actionError = '')}>${this.actionError}</p>` : nothing}
      ${stop === CloseCode.forbidden && messages.length === 0
        ? html`<div class="placeholder"></div>`
        : !connection.state.localLoaded && messages.length === 0
          ? html`<div class="placeholder">Loading…</div>`
          : html`<chat-message-list .messages=${messages} .members=${this.members()} .meId=${session.me.id}
              .meName=${session.me.name} .conversationId=${this.conversationId} .kind=${this.conversation.kind() ?? 'direct'}
              .reactions=${this.conversation.reactions()} .receipt=${this.conversation.receipt(session.me.id)}
              .previewOf=${this.previewOf} ?readOnly=${!this.writable()}
              @message-retry=${this.retry} @message-discard=${this.discard} @message-reply=${this.reply}
              @message-edit=${this.edit} @message-delete=${this.deleteMessage} @reaction-toggle=${this.react}
              @picture-open=${this.openPicture} @list-position=${this.onPosition}></chat-message-list>`}
      ${typing ? html`<p class="typing" data-testid="typing-indicator" aria-live="polite">${typing}</p>` : nothing}
      <chat-composer ?hidden=${Boolean(this.readOnlyReason)} ?disabled=${stop === CloseCode.forbidden || Boolean(this.readOnlyReason)} .replyTo=${this.replyTo} @chat-send=${this.send}
        @chat-send-pictures=${this.sendPictures} @chat-typing=${() => this.typing.typed()}
        @chat-typing-stop=${() => this.typing.stopped()} @reply-cancel=${() => (this.replyTo = null)}></chat-composer>
      ${this.dragging ? html`<div class="drop" aria-hidden="true">Drop pictures to send them</div>` : nothing}
      ${this.picture
        ? html`<picture-lightbox .src=${this.picture.src} .alt=${this.picture.alt} .width=${this.picture.width}
            .height=${this.picture.height} @lightbox-close=${() => (this.picture = undefined)}></picture-lightbox>`
        : nothing}
    `;
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
            Syncing this conversation afresh…
          </p>`
        : nothing;
    }
    return html`<div class="error recovery" role="alert" data-testid="conversation-recovery" data-phase=${recovery.phase}>
      <span>
        The server refused a change from this device (${recovery.reason}), so this conversation stopped syncing.
        Unsent messages are set aside below.
      </span>
      ${recovery.phase === 'refused'
        ? html`<button type="button" class="secondary" data-testid="conversation-resync" @click=${this.resync}>Sync again</button>`
        : nothing}
    </div>`;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('conversationId')) {
      this.replyTo = null;
      this.actionError = '';
      this.atBottom = true;
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('conversationId') && changed.get('conversationId') !== undefined) this.composer?.clearPictures();
    this.markReadIfSeen();
  }

  /** My read marker follows what I have seen: the conversation open, the tab visible, the newest message in view. */
  private markReadIfSeen() {
    const session = this.session;
    const connection = this.conversation.connection;
    if (!session || !connection || !this.atBottom || document.visibilityState !== 'visible') return;
    if (!connection.state.localLoaded || !this.writable()) return;
    void loadEdits().then((edits) => {
      if (connection === this.conversation.connection) edits.markRead(connection.doc, session.me.id);
    });
  }

  /** Whether this device may write into the conversation now (not refused, not forbidden). */
  private writable(): boolean {
    const connection = this.conversation.connection;
    if (!connection || this.readOnlyReason || !acceptsWrites(this.conversation.recovery())) return false;
    return !(connection.state.phase === 'stopped' && connection.state.stopCode === CloseCode.forbidden);
  }

  private readonly previewOf = (messageId: string) => this.conversation.previewOf(messageId);

  private readonly onVisibility = () => this.markReadIfSeen();

  private onPosition(event: CustomEvent<ListPositionDetail>) {
    this.atBottom = event.detail.atBottom;
    this.markReadIfSeen();
  }

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
    const author = this.members()[message.author]?.name ?? (message.author === ROBOT_USER_ID ? ROBOT_NAME : 'Someone');
    this.replyTo = { id: message.id, author, text: message.text ? snippet(message.text, 80) : '📷 Picture' };
    this.composer?.focus();
  }

  private edit(event: CustomEvent<MessageEditDetail>) {
    const { id, text } = event.detail;
    void this.change((edits, doc, meId) => edits.editMessage(doc, meId, id, text));
  }

  private deleteMessage(event: CustomEvent<MessageActionDetail>) {
    const { id } = event.detail;
    void this.change((edits, doc, meId) => edits.deleteMessage(doc, meId, id));
  }

  private react(event: CustomEvent<ReactionToggleDetail>) {
    const { id, emoji } = event.detail;
    void this.change((edits, doc, meId) => edits.toggleReaction(doc, meId, id, emoji));
  }

  /** Runs an edit of the document; says why when it cannot be made. */
  private async change(action: (edits: MessageEdits, doc: Y.Doc, meId: string) => EditResult) {
    const edits = await loadEdits();
    const connection = this.conversation.connection;
    const session = this.session;
    if (!connection || !session) return;
    if (!this.writable()) {
      this.actionError = 'This conversation cannot be changed from this device right now.';
      return;
    }
    const result = action(edits, connection.doc, session.me.id);
    this.actionError = result.ok ? '' : result.reason;
  }

  private send(event: CustomEvent<ChatSendDetail>) {
    const session = this.session;
    if (!session || !this.conversationId) return;
    this.typing.stopped();
    if (!this.replyTo) {
      session.send(this.conversationId, event.detail.text);
      return;
    }
    const result = newTextMessage(session.me.id, event.detail.text, Date.now(), this.replyTo.id);
    if (!result.ok) {
      this.actionError = result.message;
      return;
    }
    session.writeMessage(this.conversationId, result.message);
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

  private readonly onDragOver = (event: DragEvent) => {
    if (!this.conversationId || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  private readonly refuseFileDrop = (event: DragEvent) => {
    if (event.defaultPrevented || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'none';
  };

  private readonly onDragLeave = (event: DragEvent) => {
    // Leaving for a child is not leaving the view.
    const to = event.relatedTarget;
    if (to instanceof Node && (to === this || this.contains(to) || this.shadowRoot?.contains(to))) return;
    this.dragging = false;
  };

  private readonly onDrop = (event: DragEvent) => {
    this.dragging = false;
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0 || !this.conversationId) return;
    event.preventDefault();
    void this.composer?.addFiles(files);
  };

  /** Members with my remarks as their names. */
  private members() {
    return membersWithRemarks(this.conversation.members(), this.remarks);
  }

  private heading(): string {
    const id = this.conversationId;
    const summary = id ? this.session?.conversation(id) : undefined;
    if (summary?.title) return conversationTitle(summary, this.remarks);
    const connection = this.conversation.connection;
    const metaTitle = connection ? metaOf(connection.doc).get('title') : undefined;
    if (typeof metaTitle === 'string' && metaTitle) return metaTitle;
    if (this.conversation.kind() === 'robot') return ROBOT_NAME;
    // A new direct conversation may open before the list has it: name it after the other person.
    const others = Object.entries(this.members()).filter(([id]) => id !== this.session?.me.id);
    return others.length === 1 && others[0] ? others[0][1].name : 'Conversation';
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
