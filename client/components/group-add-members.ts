import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import type { FriendEntry, MemberInfo } from '../../shared/schema.js';
import { NO_REMARKS, personName, type Remarks } from '../data/people/display-names.js';
import { social } from '../data/api/social-client.js';
import { failureMessage } from './api-failure.js';
import { robotAvatar } from './conversation-avatar.js';
import { pickPeopleStyles } from './panel-styles.js';
import './person-avatar.js';

/** Any member may add their own friends (and the robot) to a group. */
@customElement('group-add-members')
@localized()
export class GroupAddMembers extends LitElement {
  static override styles = [
    ...pickPeopleStyles,
    css`
      button[type='submit'] {
        width: 100%;
        margin-top: 8px;
      }
    `,
  ];

  @property() conversationId = '';
  @property({ attribute: false }) friends: FriendEntry[] = [];
  @property({ attribute: false }) members: Record<string, MemberInfo> = {};
  @property({ attribute: false }) remarks: Remarks = NO_REMARKS;
  @property({ type: Boolean }) online = true;
  @state() private busy = false;
  @state() private error = '';

  override render() {
    const candidates = this.friends
      .filter((f) => !this.members[f.id])
      .map((f) => ({ id: f.id, name: personName(f.id, f.name, this.remarks), avatar: f.avatar }));
    if (!this.members[ROBOT_USER_ID]) candidates.push({ id: ROBOT_USER_ID, name: robotName(), avatar: undefined });
    if (candidates.length === 0) return html`<p class="empty">${msg('All your friends are in this group.')}</p>`;
    return html`<form @submit=${this.submit}>
      <ul class="people">
        ${candidates.map(
          (c) => html`<li>
            <label class="option" data-testid="group-add-option" data-user-id=${c.id}>
              <input type="checkbox" name="member" value=${c.id} />
              ${c.id === ROBOT_USER_ID ? robotAvatar(40) : html`<person-avatar .name=${c.name} .src=${c.avatar} .seed=${c.id}></person-avatar>`}
              <span class="name">${c.name}</span>
            </label>
          </li>`,
        )}
      </ul>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <button type="submit" data-testid="group-add-submit" ?disabled=${this.busy || !this.online}>${msg('Add to the group')}</button>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const userIds = new FormData(form).getAll('member').map(String);
    if (userIds.length === 0) {
      this.error = msg('Pick someone to add.');
      return;
    }
    this.busy = true;
    this.error = '';
    const result = await social.addMembers(this.conversationId, userIds);
    this.busy = false;
    if (!result.ok) this.error = failureMessage(this, result, msg('Adding members'));
    else form.reset();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-add-members': GroupAddMembers;
  }
}
