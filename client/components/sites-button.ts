import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { formStyles } from './form-styles.js';
import './side-sheet.js';

/** The Sites panel is used now and then: it loads on first use. */
let panel: Promise<unknown> | undefined;
function loadPanel(): Promise<unknown> {
  panel ??= import('./sites-panel.js').catch((error: unknown) => {
    panel = undefined;
    throw error;
  });
  return panel;
}

/**
 * The way into Settings → Sites: a header button that opens the panel in a
 * side sheet. Self-contained, so the header only has to mount it.
 */
@customElement('sites-button')
export class SitesButton extends LitElement {
  static override styles = formStyles;

  @state() private open = false;
  @state() private failed = false;

  override render() {
    return html`
      <button type="button" class="secondary" data-testid="sites-open" title="Put this chat on your website" @click=${this.show}>Sites</button>
      ${this.open
        ? html`<side-sheet heading="Sites" @sheet-close=${() => (this.open = false)}>
            ${this.failed ? html`<p class="error" role="alert">The Sites panel could not be loaded. Check your connection.</p>` : html`<sites-panel></sites-panel>`}
          </side-sheet>`
        : nothing}
    `;
  }

  private async show(): Promise<void> {
    try {
      await loadPanel();
      this.failed = false;
    } catch {
      this.failed = true;
    }
    this.open = true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sites-button': SitesButton;
  }
}
