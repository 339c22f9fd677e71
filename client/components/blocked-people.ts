import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PersonSummary } from '../../shared/schema.js';
import { social } from '../data/api/social-client.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';

/** The people I blocked (asked from the server when opened), each with "Unblock". */
@customElement('blocked-people')
@localized()
export class BlockedPeople extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      summary {
        min-height: 44px;
        display: flex;
        align-items: center;
        cursor: pointer;
        color: var(--hc-muted, #5b6472);
        font-weight: 600;
      }
    `,
  ];

  @property({ type: Boolean }) online = true;
  @state() private blocked: PersonSummary[] | undefined;
  @state() private busyId: string | undefined;
  @state() private error = '';

  override render() {
    return html`<details @toggle=${this.onToggle}>
      <summary data-testid="blocked-toggle">${msg('Blocked people')}</summary>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.blocked === undefined
          ? nothing
          : this.blocked.length === 0
            ? html`<p class="empty">${msg('You have not blocked anyone.')}</p>`
            : html`<ul class="people">
              ${this.blocked.map(
                (person) => html`<li data-testid="blocked-item" data-user-id=${person.id}>
                  <span class="who"><span class="name">${person.name}</span></span>
                  <button type="button" class="secondary" data-testid="unblock" ?disabled=${!this.online || this.busyId === person.id}
                    @click=${() => this.unblock(person.id)}>${msg('Unblock')}</button>
                </li>`,
              )}
            </ul>`
      }
    </details>`;
  }

  private async onToggle(event: Event) {
    if (!(event.target as HTMLDetailsElement).open) return;
    const result = await social.blocked();
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Seeing whom you blocked'));
      return;
    }
    this.error = '';
    this.blocked = result.value;
  }

  private async unblock(id: string) {
    this.busyId = id;
    const result = await social.unblock(id);
    this.busyId = undefined;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Unblocking someone'));
      return;
    }
    this.blocked = this.blocked?.filter((other) => other.id !== id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'blocked-people': BlockedPeople;
  }
}
