import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { formStyles } from './form-styles.js';

/**
 * A panel over the app: full screen on phones, a drawer from the right on
 * wide screens. A modal `<dialog>`, so focus stays inside and Escape closes
 * it. Fires `sheet-close` (its Close/Back button, Escape, a click beside
 * it); the owner removes it.
 */
@customElement('side-sheet')
@localized()
export class SideSheet extends LitElement {
  static override styles = [
    formStyles,
    css`
      dialog[open] {
        display: flex;
        flex-direction: column;
      }
      dialog {
        box-sizing: border-box;
        width: 100vw;
        max-width: 100vw;
        height: 100%;
        height: 100dvh;
        max-height: none;
        margin: 0;
        padding: 0;
        border: 0;
        color: var(--hc-text, #1d2430);
        background: var(--hc-bg, #f3f5f9);
      }
      dialog::backdrop {
        background: rgb(20 30 50 / 35%);
      }
      .head {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 56px;
        padding: 6px 12px;
        padding-top: max(6px, env(safe-area-inset-top, 0px));
        background: var(--hc-surface, #fff);
        border-bottom: 1px solid var(--hc-border, #dde2ea);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1.05rem;
      }
      .body {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        padding: 16px 16px calc(24px + env(safe-area-inset-bottom, 0px));
      }
      @media (min-width: 768px) {
        dialog {
          width: min(440px, 100vw);
          margin: 0 0 0 auto;
          border-left: 1px solid var(--hc-border, #dde2ea);
          box-shadow: -8px 0 24px rgb(20 30 50 / 12%);
        }
      }
    `,
  ];

  @property() heading = '';
  /** Another panel lies below: the button says "Back" instead of "Close". */
  @property({ type: Boolean }) stacked = false;
  @query('dialog') private dialog?: HTMLDialogElement;
  /** Where focus was when the panel opened: it goes back there when the panel closes (issue 16). */
  private returnFocusTo: HTMLElement | undefined;

  override connectedCallback() {
    super.connectedCallback();
    this.returnFocusTo = deepActiveElement();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    const target = this.returnFocusTo;
    this.returnFocusTo = undefined;
    // A panel on a panel closes back to the one below, which keeps its own focus.
    if (target?.isConnected) target.focus();
  }

  override render() {
    return html`<dialog aria-labelledby="sheet-heading" data-testid="side-sheet" @cancel=${this.onCancel} @click=${this.onBackdrop}>
      <div class="head">
        <button type="button" class="link" data-testid="sheet-close" @click=${this.close}>${this.stacked ? '← Back' : msg('Close')}</button>
        <h2 id="sheet-heading">${this.heading}</h2>
      </div>
      <div class="body"><slot></slot></div>
    </dialog>`;
  }

  protected override firstUpdated() {
    this.dialog?.showModal();
  }

  private readonly close = () => {
    this.dispatchEvent(new CustomEvent('sheet-close', { bubbles: true, composed: true }));
  };

  /** Escape: the owner decides (it removes this element), so the dialog does not close itself. */
  private onCancel(event: Event) {
    event.preventDefault();
    this.close();
  }

  /** A click on the backdrop lands on the dialog element itself. */
  private onBackdrop(event: MouseEvent) {
    if (event.target === this.dialog) this.close();
  }
}

/** The focused element, looking inside shadow roots (ours are open). */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'side-sheet': SideSheet;
  }
}
