import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { InviteView } from '../../shared/social-api.js';
import { INVITE_LIFETIMES, INVITE_USE_LIMITS, describeInvite } from '../data/people/invite-link.js';
import { social } from '../data/api/social-client.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';

/**
 * Invite links to a group (owner and admins): make one with a lifetime and
 * an optional use limit, copy it, and revoke live ones. The link's secret
 * is shown once, when it is made; the server keeps only its hash.
 */
@customElement('group-invites')
@localized()
export class GroupInvites extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      .choices {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
        margin: 0 0 8px;
      }
      .choices label {
        margin: 0;
        font-weight: normal;
        font-size: 0.85rem;
      }
      .choices select {
        width: 100%;
        margin-top: 4px;
      }
      .created {
        margin: 8px 0;
      }
      .create {
        width: 100%;
      }
      ul.people {
        margin-top: 8px;
      }
    `,
  ];

  @property() conversationId = '';
  @property({ type: Boolean }) online = true;
  /** The group's member count: when someone joins, a link's use count has changed, so the list is fetched again. */
  @property({ type: Number }) memberCount = 0;
  @state() private created: InviteView | undefined;
  @state() private live: InviteView[] = [];
  @state() private busy = false;
  @state() private copied = false;
  @state() private error = '';

  override updated(changed: Map<PropertyKey, unknown>) {
    // The first value arrives with connectedCallback's load; later ones mean someone joined or went.
    if (changed.has('memberCount') && changed.get('memberCount') !== undefined) void this.loadLive();
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.loadLive();
  }

  override render() {
    const now = Date.now();
    return html`
      <form @submit=${this.create}>
        <div class="choices">
          <label>${msg('Works for')}
            <select name="hours" data-testid="invite-expiry">
              ${INVITE_LIFETIMES.map((l) => html`<option value=${l.hours} ?selected=${l.hours === 24 * 7}>${l.label}</option>`)}
            </select>
          </label>
          <label>${msg('Can be used')}
            <select name="uses" data-testid="invite-uses">
              ${INVITE_USE_LIMITS.map((n) => html`<option value=${n}>${n === 0 ? 'no limit' : `${n} time${n === 1 ? '' : 's'}`}</option>`)}
            </select>
          </label>
        </div>
        <button type="submit" class="create" data-testid="invite-create" ?disabled=${this.busy || !this.online}>
          ${this.busy ? msg('Making a link…') : msg('Make an invite link')}
        </button>
      </form>
      ${
        this.created?.url
          ? html`<div class="created">
            <label for="link">${msg('Share this link: whoever opens it can join.')}</label>
            <div class="row-form">
              <input id="link" readonly data-testid="invite-link" .value=${this.created.url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
              <button type="button" class="secondary" data-testid="invite-copy" @click=${this.copy}>${this.copied ? msg('Copied') : msg('Copy')}</button>
            </div>
          </div>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        this.live.length > 0
          ? html`<ul class="people" aria-label=${msg('Live invite links')}>
            ${this.live.map(
              (invite) => html`<li data-testid="invite-item">
                <span class="who"><span class="sub">${describeInvite(invite, now)}</span></span>
                <button type="button" class="danger" data-testid="invite-revoke" ?disabled=${!this.online || this.busy}
                  @click=${() => this.revoke(invite)}>${msg('Revoke')}</button>
              </li>`,
            )}
          </ul>`
          : nothing
      }
    `;
  }

  private async loadLive() {
    if (!this.online || !this.conversationId) return;
    const result = await social.invites(this.conversationId);
    if (result.ok) this.live = result.value;
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    this.copied = false;
    const result = await social.createInvite(this.conversationId, Number(data.get('hours')), Number(data.get('uses')));
    this.busy = false;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Making an invite link'));
      return;
    }
    this.created = result.value;
    await this.loadLive();
  }

  private readonly copy = async () => {
    const url = this.created?.url;
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      this.copied = true;
    } catch {
      // No clipboard permission (or not a secure context): leave the link selected to copy by hand.
      this.renderRoot.querySelector<HTMLInputElement>('#link')?.select();
      this.error = msg('Copying is not allowed here; the link is selected, copy it by hand.');
    }
  };

  private async revoke(invite: InviteView) {
    this.busy = true;
    const result = await social.revokeInvite(this.conversationId, invite.id);
    this.busy = false;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Revoking a link'));
      return;
    }
    if (this.created?.id === invite.id) this.created = undefined;
    this.live = this.live.filter((i) => i.id !== invite.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-invites': GroupInvites;
  }
}
