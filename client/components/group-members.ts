import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MemberInfo, MemberRole } from '../../shared/schema.js';
import type { ApiResult } from '../data/api/api-client.js';
import { NO_REMARKS, nameBesideRemark, personName, type Remarks } from '../data/people/display-names.js';
import { allowedMemberActions, sortedMembers, type MemberAction } from '../data/people/group-roles.js';
import { social } from '../data/api/social-client.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import { showPerson } from './sheets.js';
import './person-avatar.js';

const ROLE_LABELS = (): Record<MemberRole, string> => ({ owner: msg('Owner'), admin: msg('Admin'), member: msg('Member') });

/**
 * A group's members with their roles and pictures (from the conversation's
 * `meta`, so it reads offline), each opening their profile, and the role
 * changes, hand-over and removal my role allows (the server checks again).
 */
@customElement('group-members')
@localized()
export class GroupMembers extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      .tag[data-role='owner'] {
        color: var(--hc-on-fill, #fff);
        background: var(--hc-accent, #2f6fde);
      }
      .tag[data-role='admin'] {
        color: var(--hc-accent-dark, #2459b8);
        background: var(--hc-accent-soft, #e7efff);
      }
    `,
  ];

  @property() conversationId = '';
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property() meId = '';
  /** My role, or undefined when I am no longer a member (then nothing can be changed). */
  @property() myRole: MemberRole | undefined;
  @property({ attribute: false }) remarks: Remarks = NO_REMARKS;
  @property({ type: Boolean }) online = true;
  @state() private confirming: { userId: string; action: 'remove' | 'transfer' } | undefined;
  @state() private busyId: string | undefined;
  @state() private error = '';

  override render() {
    const members = sortedMembers(this.members, this.remarks);
    return html`
      ${this.error ? html`<p class="error" role="alert" data-testid="member-error">${this.error}</p>` : nothing}
      <ul class="people" aria-label=${msg('Members')}>
        ${members.map(([userId, info]) => this.renderMember(userId, info))}
      </ul>
    `;
  }

  private renderMember(userId: string, info: MemberInfo) {
    const shown = personName(userId, info.name, this.remarks);
    const beside = nameBesideRemark(userId, info.name, this.remarks);
    const actions = this.myRole ? allowedMemberActions(this.myRole, info.role, userId === this.meId) : [];
    return html`<li data-testid="member-item" data-role=${info.role} data-user-id=${userId}>
      <button type="button" class="who" @click=${() => showPerson(this, userId, { name: info.name, avatar: info.avatar })}>
        <person-avatar .name=${shown} .src=${info.avatar} .seed=${userId}></person-avatar>
        <span class="names">
          <span class="name" data-testid="member-name">${shown}${userId === this.meId ? ' (you)' : ''}</span>
          ${beside ? html`<span class="sub">${beside}</span>` : nothing}
        </span>
      </button>
      <span class="tag" data-role=${info.role}>${ROLE_LABELS()[info.role] ?? info.role}</span>
      ${
        this.confirming?.userId === userId
          ? this.renderConfirm(userId, shown)
          : actions.length > 0
            ? html`<div class="actions full">${actions.map((action) => this.renderAction(userId, action))}</div>`
            : nothing
      }
    </li>`;
  }

  private renderAction(userId: string, action: MemberAction) {
    const disabled = !this.online || this.busyId === userId;
    switch (action) {
      case 'make-admin':
        return html`<button type="button" class="secondary" data-testid="member-make-admin" ?disabled=${disabled}
          @click=${() => this.run(userId, social.setRole(this.conversationId, userId, 'admin'), msg('Changing a role'))}>${msg('Make admin')}</button>`;
      case 'make-member':
        return html`<button type="button" class="secondary" data-testid="member-make-member" ?disabled=${disabled}
          @click=${() => this.run(userId, social.setRole(this.conversationId, userId, 'member'), msg('Changing a role'))}>${msg('Remove admin')}</button>`;
      case 'transfer':
        return html`<button type="button" class="secondary" data-testid="member-transfer" ?disabled=${disabled}
          @click=${() => (this.confirming = { userId, action: 'transfer' })}>${msg('Make owner')}</button>`;
      case 'remove':
        return html`<button type="button" class="danger" data-testid="member-remove" ?disabled=${disabled}
          @click=${() => (this.confirming = { userId, action: 'remove' })}>${msg('Remove')}</button>`;
    }
  }

  private renderConfirm(userId: string, shown: string) {
    const transfer = this.confirming?.action === 'transfer';
    return html`<p class="confirm" role="alert">
      <span>${transfer ? msg(str`Hand the group over to ${shown}? You stay on as an admin.`) : msg(str`Remove ${shown} from the group?`)}</span>
      <button type="button" class="secondary" @click=${() => (this.confirming = undefined)}>${msg('Cancel')}</button>
      <button type="button" class=${transfer ? '' : 'danger solid'} data-testid=${transfer ? 'member-transfer-confirm' : 'member-remove-confirm'}
        ?disabled=${!this.online || this.busyId === userId}
        @click=${() =>
          transfer
            ? this.run(userId, social.transfer(this.conversationId, userId), msg('Handing the group over'))
            : this.run(userId, social.removeMember(this.conversationId, userId), msg('Removing a member'))}>
        ${transfer ? msg('Make owner') : msg('Remove')}
      </button>
    </p>`;
  }

  /** The list changes by itself when the server rewrites `meta`. */
  private async run(userId: string, call: Promise<ApiResult<unknown>>, action: string) {
    this.busyId = userId;
    this.error = '';
    const result = await call;
    this.busyId = undefined;
    this.confirming = undefined;
    if (!result.ok) this.error = failureMessage(this, result, action);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-members': GroupMembers;
  }
}
