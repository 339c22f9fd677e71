/**
 * The visitor's composer: Enter sends, Shift+Enter adds a line. Fires
 * `embed-send` with the text, `embed-picture` with a picture file the
 * visitor chose and `embed-file` with any other file (the button needs the
 * network: it uploads first). The microphone button puts
 * `<voice-recorder>` over the composer; its `voice-send` goes up (issue 15).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../shared/limits.js';
import { micIcon } from '../components/composer-icons.js';

/** Pictures the frame scales and sends as pictures. */
const PICTURE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

@customElement('embed-composer')
export class EmbedComposer extends LitElement {
  static override styles = css`
    :host {
      position: relative;
      display: flex;
      gap: 8px;
      align-items: flex-end;
      padding: 10px;
      border-top: 1px solid #e3e7ee;
      background: #fff;
    }
    textarea,
    button {
      box-sizing: border-box;
    }
    textarea {
      /* Takes what the buttons leave: its own width (20 columns, wider in a CJK font) pushed Send out of a 360 px frame. */
      flex: 1 1 0;
      min-width: 0;
      min-height: 44px;
      max-height: 120px;
      padding: 11px 12px;
      font: inherit;
      font-size: 16px;
      resize: none;
      color: inherit;
      border: 1px solid #d5dbe5;
      border-radius: 10px;
    }
    button {
      flex: none;
      min-width: 64px;
      min-height: 44px;
      padding: 0 14px;
      font: inherit;
      font-weight: 600;
      color: #fff;
      background: var(--embed-color, #2f6fde);
      border: 0;
      border-radius: 10px;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .voice-button {
      flex: none;
      min-width: 44px;
      width: 44px;
      padding: 0;
      display: grid;
      place-items: center;
      color: var(--embed-color, #2f6fde);
      background: none;
    }
    .recorder {
      position: absolute;
      inset: 0;
      background: #fff;
    }
    .picture-button {
      position: relative;
      display: grid;
      place-items: center;
      flex: none;
      width: 44px;
      height: 44px;
      color: var(--embed-color, #2f6fde);
      border: 1px solid #d5dbe5;
      border-radius: 10px;
      cursor: pointer;
    }
    .picture-button[data-disabled] {
      opacity: 0.5;
      cursor: default;
    }
    .picture-button {
      overflow: hidden;
    }
    .picture-button input {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      opacity: 0;
      cursor: inherit;
    }
    .picture-button:focus-within {
      outline: 3px solid var(--embed-color, #2f6fde);
      outline-offset: 1px;
    }
    /* The site's colour at full strength: a faded ring was too faint to see (WCAG 2.4.11). */
    textarea:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--embed-color, #2f6fde);
      outline-offset: 1px;
    }
  `;

  @property() placeholder = '';
  @property() label = '';
  @property({ type: Boolean }) disabled = false;
  /** The picture button's label; no button when empty. */
  @property() pictureLabel = '';
  /** Pictures go out at once (uploaded first): off while offline or while one is uploading. */
  @property({ type: Boolean }) picturesDisabled = false;
  /** The microphone button's label; no button when empty. */
  @property() voiceLabel = '';
  @state() private recording = false;
  @query('textarea') private input?: HTMLTextAreaElement;

  override focus(): void {
    this.input?.focus();
  }

  /** Empties the field once the message is written. */
  clear(): void {
    if (this.input) this.input.value = '';
  }

  override render() {
    return html`
      <textarea
        rows="1"
        data-testid="widget-composer-input"
        aria-label=${this.placeholder}
        placeholder=${this.placeholder}
        maxlength=${MESSAGE_TEXT_MAX_LENGTH}
        enterkeyhint="send"
        ?disabled=${this.disabled}
        @keydown=${this.onKeydown}
      ></textarea>
      ${
        this.pictureLabel
          ? html`<label class="picture-button" title=${this.pictureLabel} ?data-disabled=${this.disabled || this.picturesDisabled}>
            <input type="file" data-testid="widget-picture-input"
              aria-label=${this.pictureLabel} ?disabled=${this.disabled || this.picturesDisabled} @change=${this.pickPicture} />
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor"
              d="M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2ZM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5Z"/></svg>
          </label>`
          : nothing
      }
      ${
        this.voiceLabel
          ? html`<button type="button" class="voice-button" data-testid="widget-voice-button" aria-label=${this.voiceLabel} title=${this.voiceLabel}
              ?disabled=${this.disabled || this.picturesDisabled} @click=${this.startVoice}>${micIcon}</button>`
          : nothing
      }
      <button type="button" data-testid="widget-send" ?disabled=${this.disabled} @click=${this.send}>${this.label}</button>
      ${this.recording ? html`<voice-recorder class="recorder" @voice-send=${this.voiceDone} @voice-close=${this.voiceDone}></voice-recorder>` : nothing}
    `;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.send();
  }

  private pickPicture(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again fires another change.
    input.value = '';
    // A picture the frame can scale goes as a picture, anything else as a file (issue 15).
    const type = file && PICTURE_TYPES.has(file.type) ? 'embed-picture' : 'embed-file';
    if (file) this.dispatchEvent(new CustomEvent<File>(type, { detail: file, bubbles: true, composed: true }));
  }

  private async startVoice(): Promise<void> {
    await import('../components/voice-recorder.js');
    this.recording = true;
  }

  /** The recorder sent or closed (its `voice-send` goes on up to embed-chat). */
  private readonly voiceDone = (): void => {
    this.recording = false;
  };

  private send(): void {
    const text = this.input?.value ?? '';
    if (text.trim() === '') return;
    this.dispatchEvent(new CustomEvent<string>('embed-send', { detail: text, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'embed-composer': EmbedComposer;
  }
}
