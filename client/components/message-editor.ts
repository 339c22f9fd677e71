import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { MediaQueryController } from '../controllers/media-query-controller.js';
import { pillButton } from './pill-button-styles.js';

/** Detail of `edit-save`: the text as typed (the edit rules trim and check it). */
export interface EditSaveDetail {
  text: string;
}

/**
 * Edits the text of one of my messages in place, in the message list: it
 * opens focused with the cursor at the end; Enter saves (on a keyboard; a
 * touch screen's Enter is a new line), Escape or Cancel gives up. Fires
 * `edit-save` and `edit-cancel`; the list turns them into `message-edit`.
 */
@customElement('message-editor')
@localized()
export class MessageEditor extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(60vw, 320px);
    }
    textarea {
      width: 100%;
      min-height: 60px;
      padding: 6px 8px;
      font: inherit;
      font-size: 16px;
      resize: vertical;
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 8px;
    }
    div {
      display: flex;
      justify-content: flex-end;
      gap: 6px;
    }
    button {
      ${pillButton}
    }
  `;

  /** The text the editor starts from. */
  @property() text = '';
  @query('textarea') private input?: HTMLTextAreaElement;
  private readonly touch = new MediaQueryController(this, '(pointer: coarse)');

  override render() {
    return html`<textarea data-testid="edit-input" aria-label=${msg('Edit message')} .value=${this.text} @keydown=${this.onKey}></textarea>
      <div>
        <button type="button" @click=${this.cancel}>${msg('Cancel')}</button>
        <button type="button" data-testid="edit-save" @click=${this.save}>${msg('Save')}</button>
      </div>`;
  }

  protected override firstUpdated() {
    const input = this.input;
    input?.focus();
    input?.setSelectionRange(input.value.length, input.value.length);
  }

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      // The list's own Escape (putting the actions away) is not for this one.
      event.stopPropagation();
      this.cancel();
      return;
    }
    if (this.touch.matches || event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.save();
  };

  private readonly cancel = () => {
    this.dispatchEvent(new CustomEvent('edit-cancel'));
  };

  private readonly save = () => {
    const text = this.input?.value;
    if (text === undefined) return;
    this.dispatchEvent(new CustomEvent<EditSaveDetail>('edit-save', { detail: { text } }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'message-editor': MessageEditor;
  }
}
