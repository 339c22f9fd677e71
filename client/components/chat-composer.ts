import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { MESSAGE_ATTACHMENTS_MAX, MESSAGE_TEXT_MAX_LENGTH } from '../../shared/limits.js';
import { uploadLimits } from '../data/api/upload-limits.js';
import { MediaQueryController } from '../controllers/media-query-controller.js';
import type { ScaledPicture } from '../data/pictures/image-scaling.js';
import { composeText } from '../data/messages/new-messages.js';
import type { EmojiPickDetail } from './emoji-picker.js';
import { attachIcon, cameraIcon, micIcon, smileIcon } from './composer-icons.js';
import { fileSizeText } from './file-attachment.js';
import type { VoiceSendDetail } from './voice-recorder.js';
import { COMPOSER_MAX_HEIGHT_PX, composerStyles } from './chat-composer-styles.js';
import { formStyles } from './form-styles.js';
import type { MentionCandidate } from '../../shared/mentions.js';
import { MentionAutocomplete, mentionListStyles } from '../controllers/mention-autocomplete.js';

export interface ChatSendDetail {
  text: string;
}

/** Pictures to send, each its own message; the caption goes with the first. */
export interface ChatSendPicturesDetail {
  pictures: ScaledPicture[];
  caption: string;
}

/** Files to send (issue 15), each its own message, at once: anything that is not a picture the app can scale. */
export interface ChatSendFilesDetail {
  files: File[];
}

/** Pictures the app scales and sends with a caption; any other file (SVG, HEIC, a document) goes as a file. */
const SCALED_PICTURE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

/** The message being answered, as the composer shows it. */
export interface ReplyTarget {
  id: string;
  author: string;
  text: string;
}

interface StagedPicture {
  key: number;
  previewUrl: string;
  name: string;
  picture?: ScaledPicture;
  error?: string;
}

/** Show the character count once a message gets this close to the limit. */
const COUNT_FROM = MESSAGE_TEXT_MAX_LENGTH - 500;

/**
 * The message box. With a keyboard, Enter sends and Shift+Enter adds a line
 * (Enter while an input method is composing, e.g. Chinese, only confirms the
 * composition). On touch screens Enter adds a line, as people expect from
 * their phone's keyboard, and the Send button sends; the keyboard's Enter key
 * is labelled "send" only where it sends.
 *
 * Pictures come from the file picker, the camera (phones), paste, or a drop
 * (the view passes dropped files to `addFiles`); they are scaled down here
 * and wait as thumbnails until Send, with the text as their caption. The
 * emoji picker is loaded the first time it opens.
 *
 * Any other file goes at once as a file message (`chat-send-files`), and the
 * microphone button swaps the box for `<voice-recorder>` (its `voice-send`
 * goes up to the view).
 *
 * Fires `chat-send` ({text}), `chat-send-pictures`, `chat-send-files`, `chat-typing` (on input),
 * `chat-typing-stop` (sent or emptied) and `reply-cancel`.
 */
@customElement('chat-composer')
@localized()
export class ChatComposer extends LitElement {
  static override styles = [formStyles, composerStyles, mentionListStyles];

  @property({ type: Boolean }) disabled = false;
  /** The message being answered, shown above the box; null for none. */
  @property({ attribute: false }) replyTo: ReplyTarget | null = null;
  /** People `@` offers to mention (a group's other members); none elsewhere. */
  @property({ attribute: false }) mentionables: MentionCandidate[] = [];
  @state() private length = 0;
  @state() private staged: StagedPicture[] = [];
  @state() private emojiOpen = false;
  @state() private problem = '';
  /** The box is replaced by the voice recorder. */
  @state() private recording = false;
  @query('textarea') private textarea?: HTMLTextAreaElement;
  private readonly touch = new MediaQueryController(this, '(pointer: coarse)');
  private readonly mentions = new MentionAutocomplete(
    this,
    () => this.textarea,
    () => this.mentionables,
    () => this.input(),
  );
  private nextKey = 0;

  /** Whether Enter sends (a fine pointer: there is a hardware keyboard to type Shift+Enter on). */
  private get enterSends(): boolean {
    return !this.touch.matches;
  }

  override render() {
    const over = this.length > MESSAGE_TEXT_MAX_LENGTH;
    const scaling = this.staged.some((s) => !s.picture && !s.error);
    return html`
      ${
        this.replyTo
          ? html`<div class="banner" data-testid="composer-reply">
            <span>${msg('Replying to')} <strong>${this.replyTo.author}</strong>: ${this.replyTo.text}</span>
            <button type="button" aria-label=${msg('Cancel reply')} data-testid="reply-cancel" @click=${this.cancelReply}>×</button>
          </div>`
          : nothing
      }
      ${this.staged.length > 0 ? this.renderStaged() : nothing}
      ${
        this.emojiOpen
          ? html`<emoji-picker @emoji-pick=${this.insertEmoji} @emoji-picker-close=${this.closeEmoji}></emoji-picker>`
          : nothing
      }
      ${this.recording ? html`<voice-recorder @voice-send=${this.voiceDone} @voice-close=${this.voiceDone}></voice-recorder>` : nothing}
      <form @submit=${this.submit} ?hidden=${this.recording}>
        <button type="button" class="tool" data-testid="emoji-button" aria-label=${msg('Emoji')} aria-expanded=${this.emojiOpen ? 'true' : 'false'}
          ?disabled=${this.disabled} @click=${this.toggleEmoji}>${smileIcon}</button>
        <button type="button" class="tool" data-testid="attach-button" aria-label=${msg('Attach a picture or file')} ?disabled=${this.disabled}
          @click=${() => this.pick('picture-input')}>${attachIcon}</button>
        <input class="hidden-input" type="file" multiple data-testid="picture-input" tabindex="-1" aria-hidden="true"
          ?disabled=${this.disabled} @change=${this.filesPicked} />
        ${
          this.touch.matches
            ? html`<button type="button" class="tool" aria-label=${msg('Take a photo')} ?disabled=${this.disabled}
                @click=${() => this.pick('camera-input')}>${cameraIcon}</button>
              <input class="hidden-input" type="file" accept="image/*" capture="environment" data-testid="camera-input"
                tabindex="-1" aria-hidden="true" @change=${this.filesPicked} />`
            : nothing
        }
        <button type="button" class="tool" data-testid="voice-button" aria-label=${msg('Record a voice message')} ?disabled=${this.disabled}
          @click=${this.startVoice}>${micIcon}</button>
        <textarea rows="1" placeholder=${this.staged.length > 0 ? msg('Add a caption') : msg('Message')} aria-label=${msg('Message')}
          data-testid="composer-input" enterkeyhint=${ifDefined(this.enterSends ? 'send' : undefined)}
          ?disabled=${this.disabled} @keydown=${this.keydown} @input=${this.input} @paste=${this.paste} @click=${this.mentions.update}
          aria-autocomplete=${ifDefined(this.mentions.enabled ? 'list' : undefined)} aria-controls=${ifDefined(this.mentions.controls)}
          aria-activedescendant=${ifDefined(this.mentions.activeId)}></textarea>
        <button type="submit" data-testid="composer-send" aria-label=${msg('Send')} ?disabled=${this.disabled || over || scaling}>
          ${msg('Send')}
        </button>
      </form>
      ${this.mentions.render()}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.length >= COUNT_FROM ? html`<p class="count ${over ? 'over' : ''}">${this.length} / ${MESSAGE_TEXT_MAX_LENGTH}</p>` : nothing}
    `;
  }

  private renderStaged() {
    return html`<div class="staged" aria-label=${msg('Pictures to send')}>
      ${this.staged.map(
        (s) => html`<figure class=${!s.picture && !s.error ? 'busy' : ''} data-testid="staged-picture">
          <img src=${s.previewUrl} alt=${s.name} />
          <button type="button" aria-label=${msg(str`Remove ${s.name}`)} @click=${() => this.unstage(s.key)}>×</button>
          ${s.error ? html`<figcaption>${s.error}</figcaption>` : nothing}
        </figure>`,
      )}
    </div>`;
  }

  override focus() {
    this.textarea?.focus();
  }

  /** Files dropped on the conversation, pasted, or picked: pictures scaled now and sent with the next Send, other files sent at once. */
  async addFiles(files: Iterable<File>): Promise<void> {
    const all = [...files];
    const pictures = all.filter((file) => SCALED_PICTURE_TYPES.has(file.type));
    this.problem = '';
    await this.sendFiles(all.filter((file) => !SCALED_PICTURE_TYPES.has(file.type)));
    if (pictures.length === 0) return;
    const room = MESSAGE_ATTACHMENTS_MAX - this.staged.length;
    if (pictures.length > room) this.problem = msg(str`At most ${MESSAGE_ATTACHMENTS_MAX} pictures at once.`);
    const added = pictures.slice(0, Math.max(0, room)).map((file) => ({
      key: this.nextKey++,
      previewUrl: URL.createObjectURL(file),
      name: file.name || 'Picture',
      file,
    }));
    this.staged = [...this.staged, ...added.map(({ file: _file, ...staged }) => staged)];
    const { scalePicture } = await import('../data/pictures/image-scaling.js');
    for (const { key, file } of added) {
      const result = await scalePicture(file);
      this.staged = this.staged.map((s) =>
        s.key !== key ? s : result.ok ? { ...s, picture: result.picture } : { ...s, error: result.message },
      );
    }
  }

  /** Drops the pictures waiting to be sent (another conversation was opened: they were meant for this one). */
  clearPictures(): void {
    for (const s of this.staged) URL.revokeObjectURL(s.previewUrl);
    this.staged = [];
    this.problem = '';
  }

  private pick(testId: string) {
    this.renderRoot.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)?.click();
  }

  private filesPicked(event: Event) {
    const input = event.target as HTMLInputElement;
    if (input.files) void this.addFiles(input.files);
    input.value = '';
  }

  /**
   * Files go at once, each its own message; one over the server's size limit
   * (asked once, upload-limits.ts) is refused here, before it waits anywhere.
   */
  private async sendFiles(files: File[]) {
    const { fileMaxBytes } = await uploadLimits();
    const tooLarge = files.filter((file) => file.size > fileMaxBytes);
    const empty = files.filter((file) => file.size === 0);
    const fine = files.filter((file) => !tooLarge.includes(file) && !empty.includes(file));
    const limit = fileSizeText(fileMaxBytes);
    if (tooLarge.length > 0) this.problem = msg(str`${tooLarge[0].name} is larger than ${limit}, the most that can be sent.`);
    else if (empty.length > 0) this.problem = msg(str`${empty[0].name} is empty.`);
    if (fine.length === 0) return;
    this.dispatchEvent(new CustomEvent<ChatSendFilesDetail>('chat-send-files', { detail: { files: fine }, bubbles: true, composed: true }));
  }

  private async startVoice() {
    await import('./voice-recorder.js');
    this.problem = '';
    this.recording = true;
  }

  /** The recorder sent or closed: the box comes back (`voice-send` itself goes on up to the view). */
  private readonly voiceDone = (_event: CustomEvent<VoiceSendDetail> | Event) => {
    this.recording = false;
    void this.updateComplete.then(() => this.textarea?.focus());
  };

  private paste(event: ClipboardEvent) {
    const files = [...(event.clipboardData?.files ?? [])].filter((file) => file.type.startsWith('image/'));
    if (files.length === 0) return;
    event.preventDefault();
    void this.addFiles(files);
  }

  private unstage(key: number) {
    const removed = this.staged.find((s) => s.key === key);
    if (removed) URL.revokeObjectURL(removed.previewUrl);
    this.staged = this.staged.filter((s) => s.key !== key);
    if (this.staged.length === 0) this.problem = '';
  }

  private async toggleEmoji() {
    if (!this.emojiOpen) await import('./emoji-picker.js');
    this.emojiOpen = !this.emojiOpen;
  }

  private readonly closeEmoji = () => {
    this.emojiOpen = false;
    this.textarea?.focus();
  };

  /** Puts the emoji where the caret is, and keeps the picker open for more. */
  private readonly insertEmoji = (event: CustomEvent<EmojiPickDetail>) => {
    const textarea = this.textarea;
    if (!textarea) return;
    const { selectionStart, selectionEnd, value } = textarea;
    textarea.value = value.slice(0, selectionStart) + event.detail.emoji + value.slice(selectionEnd);
    const caret = selectionStart + event.detail.emoji.length;
    textarea.setSelectionRange(caret, caret);
    this.input();
  };

  private keydown(event: KeyboardEvent) {
    // An open list of people to mention takes its keys first (arrows, Enter, Tab, Escape).
    if (this.mentions.keydown(event)) return;
    if (event.key === 'Escape' && (this.emojiOpen || this.replyTo)) {
      // Used up here: it does not also leave the conversation (chat-home, on a phone).
      event.preventDefault();
      if (this.emojiOpen) this.emojiOpen = false;
      else this.cancelReply();
      return;
    }
    if (!this.enterSends || event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.send();
  }

  private input() {
    this.length = this.textarea?.value.length ?? 0;
    this.mentions.update();
    this.fitHeight();
    this.fire(this.length > 0 ? 'chat-typing' : 'chat-typing-stop');
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    this.send();
    this.textarea?.focus();
  }

  private send() {
    const textarea = this.textarea;
    if (!textarea) return;
    if (this.staged.length > 0) {
      this.sendPictures(textarea.value.trim());
      return;
    }
    const composed = composeText(textarea.value);
    if (!composed.ok) return;
    this.dispatchEvent(new CustomEvent<ChatSendDetail>('chat-send', { detail: { text: composed.text }, bubbles: true, composed: true }));
    this.clear();
  }

  private sendPictures(caption: string) {
    if (caption.length > MESSAGE_TEXT_MAX_LENGTH || this.staged.some((s) => !s.picture && !s.error)) return;
    const pictures = this.staged.flatMap((s) => (s.picture ? [s.picture] : []));
    if (pictures.length === 0) return;
    this.dispatchEvent(
      new CustomEvent<ChatSendPicturesDetail>('chat-send-pictures', { detail: { pictures, caption }, bubbles: true, composed: true }),
    );
    for (const s of this.staged) URL.revokeObjectURL(s.previewUrl);
    this.staged = [];
    this.problem = '';
    this.clear();
  }

  private clear() {
    const textarea = this.textarea;
    if (textarea) textarea.value = '';
    this.length = 0;
    this.mentions.close();
    this.emojiOpen = false;
    this.fitHeight();
    this.fire('chat-typing-stop');
  }

  private readonly cancelReply = () => this.fire('reply-cancel');

  private fire(type: 'chat-typing' | 'chat-typing-stop' | 'reply-cancel') {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  /** Grow with the text up to a few lines, then scroll. */
  private fitHeight() {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, COMPOSER_MAX_HEIGHT_PX)}px`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
