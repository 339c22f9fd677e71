/**
 * `<embed-chat>`: the whole iframe. A header with the site's name and a
 * close button, the app's pinned bar with the conversation's newest pin
 * (read-only here; a click shows the message, older history segments opened
 * until it is there), the conversation with the greeting, and the composer;
 * or, when there is no conversation to show, why (offline on a first visit,
 * blocked, not allowed here). Copy puts a message's text on the clipboard
 * (copy-text.ts) and says so in the app's short note.
 */
import { localized } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { authorsOf } from '../../shared/schema.js';
import { type AppLocale, matchLocale } from '../i18n/locale-choice.js';
import { useLocale } from '../i18n/localization.js';
import type { EmbedBridge } from './embed-bridge.js';
import type { EmbedComposer } from './embed-composer.js';
import { EmbedController } from './embed-controller.js';
import { embedStrings, type EmbedStrings } from './embed-strings.js';
import type { Attachment } from '../../shared/schema.js';
import { type FileDownloadDetail, fileSizeText } from '../components/file-attachment.js';
import type { VoiceSendDetail } from '../components/voice-recorder.js';
import { type UploadedFile, VisitorApi } from './visitor-api.js';
import { VisitorPictures } from './visitor-pictures.js';
import type { VisitorPhase } from './widget-visitor.js';
import { copyText } from '../components/copy-text.js';
import type { PinDetail } from '../components/pinned-bar.js';
import { PinsController } from '../controllers/pins-controller.js';
import { latestPin, newestPinId } from '../data/messages/pins.js';
import type { EmbedCopyDetail, EmbedMessageList, EmbedPositionDetail } from './embed-message-list.js';
import '../components/chat-toast.js';
import '../components/pinned-bar.js';
import './embed-composer.js';
import './embed-message-list.js';

/** How long "Copied" stays (the app's note). */
const NOTE_MS = 2500;

@customElement('embed-chat')
@localized()
export class EmbedChat extends LitElement {
  static override styles = css`
    :host {
      position: relative;
      display: grid;
      grid-template-rows: auto auto auto minmax(0, 1fr) auto;
      /* The frame's width, not the widest row's: the composer's message box counts its own 20 columns in, which made every row 411 px wide in a 380 px panel (Send and × cut off). */
      grid-template-columns: minmax(0, 1fr);
      height: 100%;
      color: #1d2430;
      background: #fff;
    }
    header {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 56px;
      padding: 6px 6px 6px 16px;
      color: #fff;
      background: var(--embed-color, #2f6fde);
    }
    h1 {
      flex: 1;
      margin: 0;
      overflow: hidden;
      font-size: 17px;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .sync {
      font-size: 12px;
    }
    header button {
      width: 44px;
      height: 44px;
      font-size: 26px;
      line-height: 1;
      color: inherit;
      background: none;
      border: 0;
      border-radius: 10px;
      cursor: pointer;
    }
    header button:focus-visible {
      outline: 3px solid #fff;
      outline-offset: -3px;
    }
    .notice {
      margin: 0;
      padding: 8px 14px;
      font-size: 14px;
      background: #fff4d6;
      border-bottom: 1px solid #f0d58c;
    }
    .notice[data-kind='blocked'],
    .notice[data-kind='not-allowed'],
    .notice[data-kind='stopped'] {
      background: #fdecea;
      border-color: #f5c2bd;
    }
  `;

  @property({ attribute: false }) bridge: EmbedBridge | undefined;
  @query('embed-composer') private composer?: EmbedComposer;
  @query('embed-message-list') private list?: EmbedMessageList;
  /** Copy was refused both ways (copy-text.ts): said in the notice while the text stays selected. */
  @state() private copyFailed = false;
  /** "Copied", for a moment. */
  @state() private note = '';
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  /** The pinned message the bar was clicked for, while older segments open until it is listed. */
  private revealing: string | undefined;
  /** The newest pin whose message older segments were opened for (once each change of the newest pin). */
  private readonly pins = new PinsController(this, () => this.bridge?.visitor.conversation?.doc);
  /** A picture, file or voice message is being uploaded (the buttons wait), or the last one failed (said in the notice). */
  @state() private picture: 'idle' | 'uploading' | 'failed' | 'file-failed' = 'idle';
  /** Why the file just chosen was not sent (over the server's limit, or empty): said in the notice. */
  @state() private refusedFile = '';
  private readonly api = new VisitorApi();
  private readonly pictures = new VisitorPictures(this.api, () => this.requestUpdate());
  private wasVisible = false;
  /** The language applied last; undefined until the first render. */
  private locale: AppLocale | undefined;

  constructor() {
    super();
    new EmbedController(this, () => this.bridge);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ownerDocument.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownerDocument.removeEventListener('keydown', this.onKeydown);
    clearTimeout(this.noteTimer);
  }

  protected override willUpdate(): void {
    // The host's `locale` (its setting, else its page's lang) once it said hello; the browser's until then.
    const locale = matchLocale([this.bridge?.hello?.locale, ...navigator.languages]);
    if (locale !== this.locale) {
      this.locale = locale;
      void useLocale(locale);
    }
    this.style.setProperty('--embed-color', this.bridge?.visitor.visitor?.site.color ?? '#2f6fde');
  }

  protected override updated(): void {
    const visible = this.bridge?.visible ?? false;
    // Opening the chat puts the cursor in the composer.
    if (visible && !this.wasVisible) this.composer?.focus();
    this.wasVisible = visible;
    this.openOlderForPin();
    this.revealWhenListed();
  }

  /**
   * The newest pin's message is in history older than what is open (a fresh
   * device opens the newest segment only): open the segment before, once per
   * change (this runs again when it arrives), until the message is listed or
   * none is left, so the bar shows the same pin as the app's.
   */
  private openOlderForPin(): void {
    const conversation = this.bridge?.visitor.conversation;
    const doc = this.pins.doc;
    if (!conversation || !doc || !conversation.hasOlder()) return;
    const newest = newestPinId(doc);
    if (newest && !conversation.messages().some((entry) => entry.message.id === newest)) conversation.openOlder();
  }

  /** The bar's pinned message, once listed: shown; before that, the segment before the oldest shown is opened (as the app reveals a search result). */
  private revealWhenListed(): void {
    const id = this.revealing;
    const conversation = this.bridge?.visitor.conversation;
    const list = this.list;
    if (!id || !conversation || !list) return;
    if (!conversation.messages().some((entry) => entry.message.id === id)) {
      if (conversation.hasOlder()) conversation.openOlder();
      else this.revealing = undefined;
      return;
    }
    this.revealing = undefined;
    void list.updateComplete.then(() => list.scrollToMessage(id));
  }

  private readonly openPin = (event: CustomEvent<PinDetail>): void => {
    this.revealing = event.detail.id;
    this.revealWhenListed();
  };

  override render() {
    const bridge = this.bridge;
    const visitor = bridge?.visitor;
    const hello = bridge?.hello;
    const strings = embedStrings();
    const site = visitor?.visitor?.site;
    const conversation = visitor?.conversation ?? null;
    const title = hello?.title || site?.name || strings.chat;
    const notice = this.notice(visitor?.phase ?? 'waiting', strings);
    return html`
      <header>
        <h1 data-testid="widget-title">${title}</h1>
        ${conversation ? html`<span class="sync" data-testid="widget-sync" data-status=${conversation.status}>${this.syncLabel(conversation.status, strings)}</span>` : nothing}
        <button type="button" data-testid="widget-close" aria-label=${strings.close} title=${strings.close} @click=${() => bridge?.close()}>×</button>
      </header>
      ${
        notice
          ? html`<p class="notice" role="status" data-testid="widget-notice" data-kind=${notice.kind}>${notice.text}</p>`
          : this.refusedFile
            ? html`<p class="notice" role="alert" data-testid="widget-notice" data-kind="file-refused">${this.refusedFile}</p>`
            : this.picture === 'failed' || this.picture === 'file-failed'
              ? html`<p class="notice" role="alert" data-testid="widget-notice" data-kind=${this.picture === 'failed' ? 'picture-failed' : 'file-failed'}>
                ${this.picture === 'failed' ? strings.pictureFailed : strings.fileFailed}</p>`
              : this.copyFailed
                ? html`<p class="notice" role="alert" data-testid="widget-notice" data-kind="copy-failed">${strings.copyFailed}</p>`
                : html`<span></span>`
      }
      ${this.renderPinnedBar()}
      <embed-message-list
        .messages=${conversation ? conversation.messages().filter((entry) => !entry.message.deleted) : []}
        .members=${conversation ? authorsOf(conversation.doc) : {}}
        .strings=${strings}
        .greeting=${hello?.greeting || site?.greeting || ''}
        .guestId=${visitor?.visitor?.guestId ?? ''}
        .unreadAfter=${bridge?.unreadAfterOpen}
        .hasOlder=${conversation?.hasOlder() ?? false}
        .readUpTo=${conversation?.readMarker() ?? 0}
        .pictureView=${(blobId: string) => this.pictures.view(visitor?.visitor?.token, blobId)}
        @file-download=${this.onDownload}
        @embed-older=${() => conversation?.openOlder()}
        @embed-copy=${this.onCopy}
        @embed-position=${(event: CustomEvent<EmbedPositionDetail>) => bridge?.setListAtBottom(event.detail.atBottom)}
      ></embed-message-list>
      <embed-composer
        .placeholder=${strings.placeholder}
        .label=${strings.send}
        ?disabled=${!conversation || conversation.status === 'stopped'}
        .pictureLabel=${strings.attach}
        .voiceLabel=${strings.recordVoice}
        ?picturesDisabled=${conversation?.status !== 'online' || this.picture === 'uploading'}
        @embed-send=${this.onSend}
        @embed-picture=${this.onPicture}
        @embed-file=${this.onFile}
        @voice-send=${this.onVoice}
      ></embed-composer>
      <chat-toast .text=${this.note}></chat-toast>
    `;
  }

  /** The app's bar with the newest pin whose message is listed; the visitor reads it and jumps to it, and does not unpin. */
  private renderPinnedBar() {
    const conversation = this.bridge?.visitor.conversation;
    const doc = this.pins.doc;
    if (!conversation || !doc) return html`<span></span>`;
    const messages = conversation.messages();
    const shown = latestPin(doc, (id) => messages.find((entry) => entry.message.id === id)?.message);
    if (!shown) return html`<span></span>`;
    const author = authorsOf(conversation.doc)[shown.message.author]?.name ?? '';
    return html`<pinned-bar .pin=${shown} .author=${author} .canUnpin=${false} @pin-open=${this.openPin}></pinned-bar>`;
  }

  /** Copy: the clipboard API, else the old way (copy-text.ts); refused both ways, the text is selected and the notice says to copy it from there. */
  private readonly onCopy = async (event: CustomEvent<EmbedCopyDetail>): Promise<void> => {
    const entry = this.bridge?.visitor.conversation?.messages().find(({ message }) => message.id === event.detail.id);
    const text = entry?.message.text ?? '';
    if (!text) return;
    const copied = await copyText(text);
    this.copyFailed = !copied;
    if (copied) {
      clearTimeout(this.noteTimer);
      this.note = embedStrings().copied;
      this.noteTimer = setTimeout(() => (this.note = ''), NOTE_MS);
      return;
    }
    this.list?.selectText(event.detail.id);
  };

  private notice(phase: VisitorPhase, strings: EmbedStrings): { kind: string; text: string } | null {
    const conversation = this.bridge?.visitor.conversation;
    switch (phase) {
      case 'starting':
        return { kind: 'starting', text: strings.starting };
      case 'offline':
        return { kind: 'offline', text: strings.offlineFirst };
      case 'blocked':
        return { kind: 'blocked', text: strings.blocked };
      case 'not-allowed':
        return { kind: 'not-allowed', text: strings.notAllowed };
      case 'unavailable':
        return { kind: 'unavailable', text: strings.unavailable };
      case 'waiting':
        return null;
      case 'ready':
        if (conversation?.status === 'offline') return { kind: 'offline', text: strings.offline };
        if (conversation?.status === 'stopped') return { kind: 'stopped', text: strings.stopped };
        return null;
    }
  }

  private syncLabel(status: string, strings: EmbedStrings): string {
    return status === 'online' ? strings.online : status === 'connecting' ? strings.connecting : '';
  }

  private onSend(event: CustomEvent<string>): void {
    const result = this.bridge?.visitor.conversation?.send(event.detail);
    if (result?.ok) this.composer?.clear();
  }

  /**
   * Scales the chosen picture as the app does (2048 px at most, camera
   * metadata such as the location dropped), uploads it with the visitor's
   * token, then writes its message.
   */
  private async onPicture(event: CustomEvent<File>): Promise<void> {
    const visitor = this.bridge?.visitor;
    const token = visitor?.visitor?.token;
    if (!token || this.picture === 'uploading') return;
    this.refusedFile = '';
    this.picture = 'uploading';
    try {
      const { scalePicture } = await import('../data/pictures/image-scaling.js');
      const scaled = await scalePicture(event.detail);
      const uploaded = scaled.ok
        ? await this.api.uploadPicture(token, new Blob([scaled.picture.bytes], { type: scaled.picture.mime }))
        : undefined;
      const conversation = visitor?.conversation;
      if (!uploaded?.ok || !conversation) {
        this.picture = 'failed';
        return;
      }
      const { blobId, mime, width, height } = uploaded.value;
      conversation.sendPicture({ blobId, mime, width, height });
      this.picture = 'idle';
    } catch {
      // The scaler's chunk did not load (the network went away): the visitor can pick the picture again.
      this.picture = 'failed';
    }
  }

  /** Any other file goes as it is: uploaded with the visitor's token, then its message written (issue 15). */
  private async onFile(event: CustomEvent<File>): Promise<void> {
    const file = event.detail;
    await this.uploadFile(file, file.name || 'file', (uploaded) => ({ kind: 'file', attachment: { ...uploaded } }));
  }

  private async onVoice(event: CustomEvent<VoiceSendDetail>): Promise<void> {
    const { bytes, mime, durationMs, peaks } = event.detail;
    await this.uploadFile(new Blob([bytes], { type: mime }), 'voice', ({ blobId, mime: stored, size }) => ({
      kind: 'voice',
      attachment: { blobId, mime: stored, size, durationMs: Math.round(durationMs), peaks },
    }));
  }

  private async uploadFile(
    file: Blob,
    name: string,
    messageOf: (uploaded: UploadedFile) => { kind: 'file' | 'voice'; attachment: Attachment },
  ): Promise<void> {
    const visitor = this.bridge?.visitor;
    const token = visitor?.visitor?.token;
    if (!token || this.picture === 'uploading') return;
    this.refusedFile = '';
    this.picture = 'uploading';
    // Refused here by the server's own limit, before any byte goes: the visitor learns why and what fits.
    const { fileMaxBytes } = await this.api.uploadLimits();
    const strings = embedStrings();
    if (file.size > fileMaxBytes || file.size === 0) {
      this.refusedFile = file.size === 0 ? strings.fileEmpty(name) : strings.fileTooLarge(name, fileSizeText(fileMaxBytes));
      this.picture = 'idle';
      return;
    }
    const uploaded = await this.api.uploadFile(token, file, name);
    const conversation = visitor?.conversation;
    if (!uploaded.ok || !conversation) {
      this.picture = 'file-failed';
      return;
    }
    const { kind, attachment } = messageOf(uploaded.value);
    conversation.sendFile(kind, attachment);
    this.picture = 'idle';
  }

  /** Download in the frame: the bytes fetched with the visitor's token, saved under the message's name. */
  private async onDownload(event: CustomEvent<FileDownloadDetail>): Promise<void> {
    const token = this.bridge?.visitor.visitor?.token;
    const bytes = token ? await this.api.picture(token, event.detail.blobId) : undefined;
    if (!bytes) {
      this.picture = 'file-failed';
      return;
    }
    const url = URL.createObjectURL(bytes);
    const link = document.createElement('a');
    link.href = url;
    link.download = event.detail.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.bridge?.close();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'embed-chat': EmbedChat;
  }
}
