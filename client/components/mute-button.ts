import { localized, msg } from '@lit/localize';
import { LitElement, css, html, svg } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import { MutedController } from '../controllers/muted-controller.js';
import { sessionContext } from '../controllers/session-context.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { formStyles } from './form-styles.js';

const bell = svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" /><path d="M10 20a2 2 0 0 0 4 0" />`;
const slash = svg`<path d="M4 4l16 16" />`;

/**
 * Mutes or unmutes the open conversation's notifications (all my devices;
 * a mention of me in a group still notifies). The state lives on the server
 * (`/api/push/settings`, `/api/conversations/:id/mute`); this device's copy
 * (muted-conversations.ts) shows it, offline too, takes a change offline at
 * once and sends it later, and the list's row menu changes the same copy.
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
  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @state() private busy = false;
  @state() private error = '';
  private readonly mutes = new MutedController(this, () => this.session);

  override render() {
    // Never heard from the server on this device (offline since sign-in): no button rather than a wrong one.
    if (!this.conversationId || !this.mutes.known) return html``;
    const muted = this.mutes.has(this.conversationId);
    const label = muted ? msg('Unmute notifications for this conversation') : msg('Mute notifications for this conversation');
    return html`<button type="button" class="secondary" data-testid="mute-toggle" aria-pressed=${muted ? 'true' : 'false'}
      aria-label=${label} title=${this.error || label} ?disabled=${this.busy} @click=${this.toggle}>
      <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"
        stroke-linejoin="round" aria-hidden="true">${bell}${muted ? slash : ''}</svg>
      <span>${muted ? msg('Muted') : msg('Mute')}</span>
    </button>`;
  }

  private async toggle(): Promise<void> {
    const id = this.conversationId;
    if (!id) return;
    this.busy = true;
    const refusal = await this.mutes.set(id, !this.mutes.has(id));
    this.busy = false;
    this.error = refusal ?? '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mute-button': MuteButton;
  }
}
