import { localized, msg } from '@lit/localize';
import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { push } from '../data/api/push-client.js';
import { formStyles } from './form-styles.js';

const bell = svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" /><path d="M10 20a2 2 0 0 0 4 0" />`;
const slash = svg`<path d="M4 4l16 16" />`;

/**
 * Mutes or unmutes the open conversation's notifications (all my devices;
 * a mention of me in a group still notifies). The state lives on the server
 * (`/api/push/settings`, `/api/conversations/:id/mute`).
 */
@customElement('mute-button')
@localized()
export class MuteButton extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: inline-flex;
      }
      button {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 0 10px;
        font-size: 0.85rem;
        /* Fills its row in the chat header's "More" menu on a phone, where its words show. */
        flex: 1;
      }
    `,
  ];

  @property() conversationId: string | undefined;
  @state() private muted: boolean | undefined;
  @state() private busy = false;
  @state() private error = '';
  /** The conversation the shown state belongs to (answers for a previous one are dropped). */
  private loadedFor: string | undefined;

  protected override willUpdate(): void {
    if (this.conversationId !== this.loadedFor) void this.load();
  }

  override render() {
    if (this.muted === undefined) return html``;
    const label = this.muted ? msg('Unmute notifications for this conversation') : msg('Mute notifications for this conversation');
    return html`<button type="button" class="secondary" data-testid="mute-toggle" aria-pressed=${this.muted ? 'true' : 'false'}
      aria-label=${label} title=${this.error || label} ?disabled=${this.busy} @click=${this.toggle}>
      <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"
        stroke-linejoin="round" aria-hidden="true">${bell}${this.muted ? slash : ''}</svg>
      <span>${this.muted ? msg('Muted') : msg('Mute')}</span>
    </button>`;
  }

  private async load(): Promise<void> {
    const id = this.conversationId;
    this.loadedFor = id;
    this.muted = undefined;
    if (!id) return;
    const settings = await push.settings();
    // Offline or signed out: no button rather than a wrong one.
    if (this.loadedFor === id && settings.ok) this.muted = settings.value.muted.includes(id);
  }

  private async toggle(): Promise<void> {
    const id = this.conversationId;
    if (!id || this.muted === undefined) return;
    this.busy = true;
    const result = await push.setMuted(id, !this.muted);
    this.busy = false;
    if (this.loadedFor !== id) return;
    if (result.ok) {
      this.muted = result.value.muted;
      this.error = '';
    } else {
      this.error = result.error.message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mute-button': MuteButton;
  }
}
