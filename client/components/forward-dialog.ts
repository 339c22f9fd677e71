import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { formStyles } from './form-styles.js';

/** A conversation the picker offers, named as the list names it. */
export interface ForwardTarget {
  id: string;
  title: string;
}

/** Detail of `forward-confirm`: the conversations chosen, in list order. */
export interface ForwardConfirmDetail {
  conversationIds: string[];
}

/**
 * "Forward to…": a modal `<dialog>` (focus stays inside, Escape closes) with
 * a search field over the person's conversations and a checkbox for each,
 * so one message goes to several at once. Fires `forward-confirm` with the
 * chosen ids, or `forward-cancel`. Loaded the first time someone forwards.
 */
@customElement('forward-dialog')
@localized()
export class ForwardDialog extends LitElement {
  static override styles = [
    formStyles,
    css`
      dialog {
        width: min(420px, calc(100vw - 24px));
        max-height: min(560px, calc(100dvh - 24px));
        padding: 0;
        color: var(--hc-text, #1d2330);
        background: var(--hc-surface, #fff);
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: 12px;
        box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      form {
        display: flex;
        flex-direction: column;
        gap: 10px;
        max-height: inherit;
        padding: 16px;
        box-sizing: border-box;
      }
      h2 {
        margin: 0;
        font-size: 1.1rem;
      }
      ul {
        flex: 1;
        min-height: 80px;
        max-height: 320px;
        margin: 0;
        padding: 0;
        overflow-y: auto;
        list-style: none;
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: 8px;
      }
      label {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: 44px;
        padding: 0 12px;
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      li + li label {
        border-top: 1px solid var(--hc-border, #dde2ea);
      }
      input[type='checkbox'] {
        width: 20px;
        height: 20px;
        flex: none;
      }
      .none {
        padding: 12px;
        color: var(--hc-muted, #5b6472);
      }
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) targets: ForwardTarget[] = [];
  @state() private query = '';
  @state() private chosen = new Set<string>();
  @query('dialog') private dialog?: HTMLDialogElement;

  override render() {
    const wanted = this.query.trim().toLocaleLowerCase();
    const shown = wanted ? this.targets.filter((t) => t.title.toLocaleLowerCase().includes(wanted)) : this.targets;
    const count = this.chosen.size;
    return html`<dialog data-testid="forward-dialog" aria-labelledby="forward-title" @close=${this.closed}>
      <form method="dialog" @submit=${this.submit}>
        <h2 id="forward-title">${msg('Forward to…')}</h2>
        <input type="search" data-testid="forward-search" aria-label=${msg('Search conversations')}
          placeholder=${msg('Search conversations')} .value=${this.query}
          @input=${(event: InputEvent) => (this.query = (event.target as HTMLInputElement).value)} />
        <ul aria-label=${msg('Conversations')}>
          ${
            shown.length === 0
              ? html`<li class="none">${msg('No conversation matches.')}</li>`
              : repeat(
                  shown,
                  (target) => target.id,
                  (target) => html`<li><label>
                    <input type="checkbox" data-testid="forward-target" data-conversation-id=${target.id}
                      .checked=${this.chosen.has(target.id)} @change=${() => this.toggle(target.id)} />
                    <span>${target.title}</span>
                  </label></li>`,
                )
          }
        </ul>
        <div class="buttons">
          <button type="button" class="secondary" @click=${this.cancel}>${msg('Cancel')}</button>
          <button type="submit" data-testid="forward-send" ?disabled=${count === 0}>
            ${count > 1 ? msg(str`Forward to ${count}`) : msg('Forward')}
          </button>
        </div>
      </form>
    </dialog>`;
  }

  override firstUpdated() {
    this.dialog?.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }

  private toggle(id: string) {
    const chosen = new Set(this.chosen);
    if (!chosen.delete(id)) chosen.add(id);
    this.chosen = chosen;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.chosen.size === 0) return;
    const conversationIds = this.targets.filter((t) => this.chosen.has(t.id)).map((t) => t.id);
    this.dispatchEvent(
      new CustomEvent<ForwardConfirmDetail>('forward-confirm', { detail: { conversationIds }, bubbles: true, composed: true }),
    );
    this.dialog?.close();
  }

  private readonly cancel = () => this.dialog?.close();

  /** Closed by Escape, Cancel or after forwarding: the view removes the dialog. */
  private closed() {
    this.dispatchEvent(new CustomEvent('forward-cancel', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'forward-dialog': ForwardDialog;
  }
}
