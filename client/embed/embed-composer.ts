/** The visitor's composer: Enter sends, Shift+Enter adds a line. Fires `embed-send` with the text. */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../shared/limits.js';

@customElement('embed-composer')
export class EmbedComposer extends LitElement {
  static override styles = css`
    :host {
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
      flex: 1;
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
    textarea:focus-visible,
    button:focus-visible {
      outline: 3px solid color-mix(in srgb, var(--embed-color, #2f6fde) 45%, transparent);
      outline-offset: 1px;
    }
  `;

  @property() placeholder = '';
  @property() label = 'Send';
  @property({ type: Boolean }) disabled = false;
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
      <button type="button" data-testid="widget-send" ?disabled=${this.disabled} @click=${this.send}>${this.label}</button>
    `;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.send();
  }

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
