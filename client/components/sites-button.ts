import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { formStyles } from './form-styles.js';
import { lazy } from './lazy.js';

/** The Sites panel (and the side sheet it opens in) is used now and then: it loads on first use. */
const loadPanel = lazy(() => Promise.all([import('./side-sheet.js'), import('./sites-panel.js')]));

/**
 * The way into Settings → Sites: a header button that opens the panel in a
 * side sheet. Self-contained, so the header only has to mount it.
 */
@customElement('sites-button')
@localized()
export class SitesButton extends LitElement {
  static override styles = [
    formStyles,
    css`
      button {
        white-space: nowrap;
      }
      @media (max-width: 480px) {
        button {
          padding: 0 10px;
        }
      }
      .error {
        position: absolute;
        margin: 0;
        font-size: 0.85rem;
      }
    `,
  ];

  @state() private open = false;
  @state() private failed = false;

  override render() {
    return html`
      <button type="button" class="secondary" data-testid="sites-open" title=${msg('Put this chat on your website')} @click=${this.show}>${msg('Sites')}</button>
      ${this.failed ? html`<span class="error" role="alert">${msg('Could not open Sites. Check your connection.')}</span>` : nothing}
      ${this.open ? html`<side-sheet heading="Sites" @sheet-close=${this.close}><sites-panel></sites-panel></side-sheet>` : nothing}
    `;
  }

  /** Only this sheet closes: on a phone it opens over my profile sheet, which stays (the event would reach its owner too). */
  private readonly close = (event: Event): void => {
    event.stopPropagation();
    this.open = false;
  };

  private async show(): Promise<void> {
    try {
      await loadPanel();
      this.failed = false;
      this.open = true;
    } catch {
      this.failed = true;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sites-button': SitesButton;
  }
}
