import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../shared/limits.js';
import { MediaQueryController } from '../controllers/media-query-controller.js';
import { composeText } from '../data/outbox.js';
import { formStyles } from './form-styles.js';

export interface ChatSendDetail {
  text: string;
}

/** Show the character count once a message gets this close to the limit. */
const COUNT_FROM = MESSAGE_TEXT_MAX_LENGTH - 500;
const MAX_ROWS_HEIGHT_PX = 160;

/**
 * The message box. With a keyboard, Enter sends and Shift+Enter adds a line
 * (Enter while an input method is composing, e.g. Chinese, only confirms the
 * composition). On touch screens Enter adds a line, as people expect from
 * their phone's keyboard, and the Send button sends; the keyboard's Enter key
 * is labelled "send" only where it sends. Fires `chat-send` with valid text
 * and clears itself.
 */
@customElement('chat-composer')
export class ChatComposer extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: block;
        padding: 8px 12px calc(8px + env(safe-area-inset-bottom, 0px));
        background: var(--hc-surface, #fff);
        border-top: 1px solid var(--hc-border, #dde2ea);
      }
      form {
        display: flex;
        align-items: flex-end;
        gap: 8px;
      }
      textarea {
        flex: 1;
        width: auto;
        min-width: 0;
        resize: none;
        max-height: ${MAX_ROWS_HEIGHT_PX}px;
        line-height: 1.4;
      }
      .count {
        margin: 4px 0 0;
        font-size: 0.8rem;
        color: var(--hc-muted, #677284);
        text-align: right;
      }
      .count.over {
        color: var(--hc-danger, #c0392b);
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @state() private length = 0;
  @query('textarea') private textarea?: HTMLTextAreaElement;
  private readonly touch = new MediaQueryController(this, '(pointer: coarse)');

  /** Whether Enter sends (a fine pointer: there is a hardware keyboard to type Shift+Enter on). */
  private get enterSends(): boolean {
    return !this.touch.matches;
  }

  override render() {
    const over = this.length > MESSAGE_TEXT_MAX_LENGTH;
    return html`
      <form @submit=${this.submit}>
        <textarea rows="1" placeholder="Message" aria-label="Message" data-testid="composer-input"
          enterkeyhint=${ifDefined(this.enterSends ? 'send' : undefined)}
          ?disabled=${this.disabled} @keydown=${this.keydown} @input=${this.input}></textarea>
        <button type="submit" data-testid="composer-send" aria-label="Send" ?disabled=${this.disabled || over}>
          Send
        </button>
      </form>
      ${this.length >= COUNT_FROM
        ? html`<p class="count ${over ? 'over' : ''}">${this.length} / ${MESSAGE_TEXT_MAX_LENGTH}</p>`
        : null}
    `;
  }

  override focus() {
    this.textarea?.focus();
  }

  private keydown(event: KeyboardEvent) {
    if (!this.enterSends || event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.send();
  }

  private input() {
    this.length = this.textarea?.value.length ?? 0;
    this.fitHeight();
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    this.send();
    this.textarea?.focus();
  }

  private send() {
    const textarea = this.textarea;
    if (!textarea) return;
    const composed = composeText(textarea.value);
    if (!composed.ok) return;
    this.dispatchEvent(
      new CustomEvent<ChatSendDetail>('chat-send', { detail: { text: composed.text }, bubbles: true, composed: true }),
    );
    textarea.value = '';
    this.length = 0;
    this.fitHeight();
  }

  /** Grow with the text up to a few lines, then scroll. */
  private fitHeight() {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, MAX_ROWS_HEIGHT_PX)}px`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
