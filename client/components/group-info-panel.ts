import { localized, msg, str } from '@lit/localize';
import { plural } from '../i18n/formats.js';
import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiResult } from '../data/api/api-client.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { canManageGroup } from '../data/people/group-roles.js';
import { social } from '../data/api/social-client.js';
import { ConversationMetaController } from '../controllers/conversation-meta-controller.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { failureMessage, offlineNotice } from './api-failure.js';
import { cardPanelStyles } from './panel-styles.js';
import { closeSheet } from './sheets.js';
import './group-add-members.js';
import './group-invites.js';
import './group-members.js';
import './group-settings.js';
import './person-avatar.js';

type Confirming = 'leave' | 'disband' | 'owner-leave' | undefined;

/**
 * A group's info: picture, name, notice and members from the local copy of
 * its `meta` (so it reads offline and after I left), and what my role
 * allows: settings and invite links (owner, admins), adding friends (any
 * member), leaving (not the owner: they hand over or disband first).
 */
@customElement('group-info-panel')
@localized()
export class GroupInfoPanel extends LitElement {
  static override styles = [
    ...cardPanelStyles,
    css`
      .group-notice {
        margin: 12px 0 0;
        padding: 10px 12px;
        text-align: left;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--hc-surface, #fff);
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: var(--hc-radius, 10px);
        align-self: stretch;
      }
      .leave {
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() conversationId = '';
  @state() private confirming: Confirming;
  @state() private busy = false;
  @state() private error = '';
  private readonly meta = new ConversationMetaController(this, () => ({ session: this.session, conversationId: this.conversationId }));
  private readonly people = new PeopleController(this, () => this.session);
  private readonly network = new OnlineController(this);

  constructor() {
    super();
    // `ended` comes from my conversation list.
    new SessionController(this, () => this.session);
  }

  override render() {
    const meta = this.meta.meta;
    const people = this.people.snapshot;
    const meId = this.session?.me.id ?? '';
    const summary = this.session?.conversation(this.conversationId);
    const ended = summary?.ended;
    const myRole = ended ? undefined : meta.members[meId]?.role;
    const online = this.network.online;
    const title = meta.title || summary?.title || 'Group';
    const count = Object.keys(meta.members).length;
    return html`
      <div class="card" data-testid="group-info-panel">
        <person-avatar .name=${title} .src=${meta.avatar ?? summary?.avatar} .seed=${this.conversationId} size="72"></person-avatar>
        <h3 class="card-title" data-testid="group-title">${title}</h3>
        <span class="sub">${plural(count, { one: () => msg('1 member'), other: () => msg(str`${count} members`) })}</span>
        ${meta.notice ? html`<p class="group-notice" data-testid="group-notice">${meta.notice}</p>` : nothing}
      </div>
      ${ended ? html`<p class="notice" role="status" data-testid="ended-notice-info">${msg('You are no longer a member of this group.')}</p>` : nothing}
      ${!ended && !online ? html`<p class="notice" role="status">${offlineNotice(msg('Changing the group'))}</p>` : nothing}
      <section>
        <h3>${msg(str`Members (${count})`)}</h3>
        <group-members .conversationId=${this.conversationId} .members=${meta.members} .meId=${meId} .myRole=${myRole}
          .remarks=${people.remarks} ?online=${online}></group-members>
      </section>
      ${
        canManageGroup(myRole)
          ? html`<section><h3>${msg('Invite link')}</h3><group-invites .conversationId=${this.conversationId} .memberCount=${count} ?online=${online}></group-invites></section>`
          : nothing
      }
      ${
        myRole
          ? html`<section><h3>${msg('Add friends')}</h3>
            <group-add-members .conversationId=${this.conversationId} .friends=${people.friends} .members=${meta.members}
              .remarks=${people.remarks} ?online=${online}></group-add-members>
          </section>`
          : nothing
      }
      ${
        canManageGroup(myRole)
          ? html`<section><h3>${msg('Name, notice and picture')}</h3>
            <group-settings .conversationId=${this.conversationId} .groupTitle=${meta.title} .notice=${meta.notice} ?online=${online}
              ?pinsByAdmins=${meta.pinsByAdmins}></group-settings>
          </section>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert" data-testid="group-error">${this.error}</p>` : nothing}
      ${myRole ? this.renderLeave(myRole === 'owner', online) : nothing}
    `;
  }

  private renderLeave(owner: boolean, online: boolean) {
    const disabled = this.busy || !online;
    if (this.confirming === 'owner-leave') {
      return html`<p class="notice" role="alert" data-testid="owner-cannot-leave">
        ${msg('You own this group. Hand it over to another member first (“Make owner” in the list above), or disband it.')}
        <button type="button" class="link" @click=${() => (this.confirming = undefined)}>${msg('OK')}</button>
      </p>`;
    }
    if (this.confirming) {
      const disband = this.confirming === 'disband';
      return html`<p class="confirm" role="alert">
        <span>${disband ? msg('Disband the group for everyone? Nobody can write in it any more.') : msg('Leave this group? You keep what you have read, but no new messages.')}</span>
        <button type="button" class="secondary" @click=${() => (this.confirming = undefined)}>${msg('Cancel')}</button>
        <button type="button" class="danger solid" data-testid=${disband ? 'group-disband-confirm' : 'group-leave-confirm'} ?disabled=${disabled}
          @click=${() => (disband ? this.run(social.disband(this.conversationId), msg('Disbanding a group')) : this.run(social.leave(this.conversationId), msg('Leaving a group')))}>
          ${disband ? msg('Disband') : msg('Leave')}
        </button>
      </p>`;
    }
    return html`<div class="leave">
      <button type="button" class="danger" data-testid="group-leave" ?disabled=${disabled}
        @click=${() => (this.confirming = owner ? 'owner-leave' : 'leave')}>${msg('Leave group')}</button>
      ${
        owner
          ? html`<button type="button" class="danger" data-testid="group-disband" ?disabled=${disabled}
            @click=${() => (this.confirming = 'disband')}>${msg('Disband group')}</button>`
          : nothing
      }
    </div>`;
  }

  /** Leaving or disbanding: my list marks the conversation ended and the chat says so; the panel makes way. */
  private async run(call: Promise<ApiResult<unknown>>, action: string) {
    this.busy = true;
    this.error = '';
    const result = await call;
    this.busy = false;
    this.confirming = undefined;
    if (!result.ok) {
      this.error = failureMessage(this, result, action);
      return;
    }
    closeSheet(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-info-panel': GroupInfoPanel;
  }
}
