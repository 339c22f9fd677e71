import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { KeepInViewController } from '../controllers/keep-in-view-controller.js';
import type { EmojiPickDetail } from './emoji-picker.js';
import { pillButton } from './pill-button-styles.js';

/** Reactions offered first; any other emoji comes from the picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/**
 * What can be done with one message: reply, react (a few quick reactions,
 * any emoji from the picker), copy its text, forward it, pin or unpin it,
 * and for my own edit and delete (asking first). The list shows it over the
 * message the pointer, the focus or a tap is on; it is loaded when first
 * needed. Fires `message-reply`, `message-copy`, `message-forward`,
 * `message-pin`, `message-edit-start`, `message-delete` ({id}) and
 * `reaction-toggle` ({id, emoji}).
 */
@customElement('message-actions')
@localized()
export class MessageActions extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    :host([mine]) {
      justify-content: flex-end;
    }
    .bar > button,
    .confirm > button {
      ${pillButton}
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.1);
    }
    .bar,
    .confirm {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    :host([mine]) .bar {
      justify-content: flex-end;
    }
    .danger {
      color: var(--hc-danger, #c0392b) !important;
    }
    .quick {
      flex-basis: 100%;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 2px;
      padding: 4px;
      background: var(--hc-surface, #fff);
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 999px;
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.12);
    }
    .quick button {
      min-width: 36px;
      min-height: 36px;
      padding: 0;
      font-size: 1.25rem;
      background: none;
      border: 0;
      border-radius: 50%;
      cursor: pointer;
    }
    .quick button:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    /* A full-strength ring: the faint 40% one was under 3:1 against the page (WCAG 2.4.11). */
    button:focus-visible {
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: 1px;
    }
  `;

  @property() messageId = '';
  /** My own message: it may be edited and deleted. */
  @property({ type: Boolean, reflect: true }) mine = false;
  /** The message is pinned: the action unpins it. */
  @property({ type: Boolean }) pinned = false;
  /** I may pin and unpin here (not a member of a group that keeps pins to its admins). */
  @property({ attribute: false }) pinnable = true;
  /** It has text to copy. */
  @property({ type: Boolean }) copyable = true;
  /** Its text can be edited (a file or a voice message has none to edit). */
  @property({ type: Boolean }) editable = true;
  /** It can be forwarded (not a picture still uploading). */
  @property({ type: Boolean }) forwardable = true;
  @state() private confirming = false;
  @state() private reacting = false;
  @state() private picking = false;

  constructor() {
    super();
    // On a phone a long message's top may be scrolled away: the actions stay where they can be reached.
    new KeepInViewController(this);
  }

  override render() {
    if (this.confirming) {
      return html`<div class="confirm" role="group" aria-label=${msg('Delete this message?')}>
        <button type="button" @click=${() => (this.confirming = false)}>${msg('Cancel')}</button>
        <button type="button" class="danger" data-testid="message-delete-confirm" @click=${() => this.fire('message-delete')}>
          ${msg('Delete for everyone')}</button>
      </div>`;
    }
    return html`<div class="bar" role="group" aria-label=${msg('Message actions')}>
        <button type="button" data-testid="message-reply" @click=${() => this.fire('message-reply')}>${msg('Reply')}</button>
        <button type="button" data-testid="reaction-add" aria-label=${msg('React')} aria-expanded=${this.reacting ? 'true' : 'false'}
          @click=${this.toggleReactions}>☺+</button>
        ${this.copyable ? html`<button type="button" data-testid="message-copy" @click=${() => this.fire('message-copy')}>${msg('Copy')}</button>` : nothing}
        ${this.forwardable ? html`<button type="button" data-testid="message-forward" @click=${() => this.fire('message-forward')}>${msg('Forward')}</button>` : nothing}
        ${
          this.pinnable
            ? html`<button type="button" data-testid="message-pin" @click=${() => this.fire('message-pin')}>${this.pinned ? msg('Unpin') : msg('Pin')}</button>`
            : nothing
        }
        ${
          this.mine
            ? html`${this.editable ? html`<button type="button" data-testid="message-edit" @click=${() => this.fire('message-edit-start')}>${msg('Edit')}</button>` : nothing}
              <button type="button" class="danger" data-testid="message-delete" @click=${() => (this.confirming = true)}>${msg('Delete')}</button>`
            : nothing
        }
      </div>
      ${this.reacting ? this.renderReactions() : nothing}`;
  }

  private renderReactions() {
    if (this.picking) {
      return html`<emoji-picker @emoji-pick=${(event: CustomEvent<EmojiPickDetail>) => this.react(event.detail.emoji)}
        @emoji-picker-close=${() => (this.reacting = false)}></emoji-picker>`;
    }
    return html`<div class="quick" role="menu" aria-label=${msg('Reactions')}>
      ${QUICK_REACTIONS.map(
        (emoji) =>
          html`<button type="button" role="menuitem" data-testid="emoji-option" @click=${() => this.react(emoji)}>${emoji}</button>`,
      )}
      <button type="button" role="menuitem" aria-label=${msg('More emoji')} data-testid="reaction-more" @click=${this.openPicker}>＋</button>
    </div>`;
  }

  /** Whether a menu or a question is open (the list keeps the actions shown meanwhile). */
  get busy(): boolean {
    return this.confirming || this.reacting;
  }

  private toggleReactions() {
    this.reacting = !this.reacting;
    this.picking = false;
  }

  private async openPicker() {
    await import('./emoji-picker.js');
    this.picking = true;
  }

  private react(emoji: string) {
    this.reacting = false;
    this.picking = false;
    this.dispatchEvent(new CustomEvent('reaction-toggle', { detail: { id: this.messageId, emoji }, bubbles: true, composed: true }));
  }

  private fire(type: 'message-reply' | 'message-copy' | 'message-forward' | 'message-pin' | 'message-edit-start' | 'message-delete') {
    this.confirming = false;
    this.dispatchEvent(new CustomEvent(type, { detail: { id: this.messageId }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-actions': MessageActions;
  }
}
