/**
 * "History on this device" in the profile sheet: what the browser promises
 * about this device's stored history (messages, pictures, what waits to be
 * sent), and a button to keep it offline, which asks the browser for
 * persistent storage and shows what it granted. Each engine answers
 * differently (docs/CLIENT.md, "Browsers"); the person reads it in words.
 */
import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { persistenceState, requestPersistence, type PersistenceState } from '../data/device/storage-persistence.js';
import { settingsSectionStyles } from './form-styles.js';

const NOTES = (): Record<PersistenceState, string> => ({
  persisted: msg('Kept: this browser keeps your history on this device until you sign out or clear the site’s data.'),
  'best-effort': msg(
    'Not promised: the browser may clear the history on this device when space runs low (Safari also after 7 days without a visit, unless the app is installed). Sent messages stay safe on the server.',
  ),
  unsupported: msg(
    'This browser cannot promise to keep history on this device: it may clear it when space runs low. Sent messages stay safe on the server.',
  ),
});

@customElement('storage-settings')
@localized()
export class StorageSettings extends LitElement {
  static override styles = [
    ...settingsSectionStyles,
    css`
      .note {
        font-size: 0.85rem;
        color: var(--hc-muted, #5b6472);
        margin: 0 0 8px;
      }
    `,
  ];

  @state() private state: PersistenceState | undefined;
  @state() private asking = false;
  /** Set after the person asked and the browser said no. */
  @state() private refused = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void persistenceState().then((state) => (this.state = state));
  }

  override render() {
    const note = this.asking
      ? msg('Asking the browser… (it may show you a question)')
      : this.state
        ? NOTES()[this.state]
        : msg('Checking…');
    return html`<section aria-labelledby="storage-heading">
      <h3 id="storage-heading">${msg('History on this device')}</h3>
      <p class="note" role="status" data-testid="storage-state" data-state=${this.asking ? 'asking' : (this.state ?? 'checking')}>
        ${this.refused ? msg('The browser did not grant it. ') : ''}${note}
      </p>
      ${
        this.state === 'best-effort'
          ? html`<button type="button" class="secondary" data-testid="storage-persist" ?disabled=${this.asking} @click=${this.keep}>
            ${msg('Keep history offline')}
          </button>`
          : nothing
      }
    </section>`;
  }

  private async keep(): Promise<void> {
    this.asking = true;
    try {
      this.state = await requestPersistence();
      this.refused = this.state === 'best-effort';
    } finally {
      this.asking = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'storage-settings': StorageSettings;
  }
}
