/**
 * "Last seen and online" in the profile sheet (issue 15): who may see when I
 * was last online, my friends or nobody. The server enforces it
 * (sync-server/presence/presence-service.ts) and, as WhatsApp does, shows a
 * person who hides theirs nobody else's; the form says so before they choose.
 */
import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LAST_SEEN_AUDIENCES, type LastSeenAudience } from '../../shared/presence.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PresenceController } from '../controllers/presence-controller.js';
import { sessionContext } from '../controllers/session-context.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { failureMessage } from './api-failure.js';
import { radioGroupSectionStyles } from './form-styles.js';

const LABELS = (): Record<LastSeenAudience, string> => ({
  friends: msg('My friends'),
  nobody: msg('Nobody'),
});

@customElement('last-seen-setting')
@localized()
export class LastSeenSetting extends LitElement {
  static override styles = [
    ...radioGroupSectionStyles,
    css`
      .hint {
        margin: 4px 0 0;
        font-size: 0.85rem;
        color: var(--hc-muted, #5b6472);
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @state() private busy = false;
  @state() private error = '';
  private readonly presence = new PresenceController(this, () => this.session);
  private readonly network = new OnlineController(this);

  override render() {
    const labels = LABELS();
    const chosen = this.presence.lastSeen;
    const disabled = this.busy || chosen === undefined || !this.network.online;
    return html`<fieldset data-testid="last-seen-setting" ?disabled=${disabled} aria-describedby="last-seen-hint">
        <legend>${msg('Who can see my last seen and online')}</legend>
        ${LAST_SEEN_AUDIENCES.map(
          (audience) => html`<label>
            <input type="radio" name="last-seen" value=${audience} data-testid=${`last-seen-${audience}`} .checked=${chosen === audience}
              @change=${() => void this.choose(audience)} />
            ${labels[audience]}
          </label>`,
        )}
      </fieldset>
      <p class="hint" id="last-seen-hint">${msg("If you don't share your last seen, you won't see other people's.")}</p>
      ${this.error ? html`<p class="error" role="alert" data-testid="last-seen-error">${this.error}</p>` : nothing}`;
  }

  private async choose(audience: LastSeenAudience): Promise<void> {
    this.busy = true;
    this.error = '';
    const result = await this.presence.setLastSeen(audience);
    this.busy = false;
    if (result && !result.ok) this.error = failureMessage(this, result, msg('Changing who sees your last seen'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'last-seen-setting': LastSeenSetting;
  }
}
