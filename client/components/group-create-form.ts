import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import { NAME_MAX_LENGTH } from '../../shared/limits.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { personName } from '../data/people/display-names.js';
import { social } from '../data/api/social-client.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { failureMessage, offlineNotice } from './api-failure.js';
import { robotAvatar } from './conversation-avatar.js';
import { pickPeopleStyles } from './panel-styles.js';
import { openConversation } from './sheets.js';
import './person-avatar.js';

/** A new group: a name and the friends (and, if wanted, the robot) to start with. Opens it when made. */
@customElement('group-create-form')
@localized()
export class GroupCreateForm extends LitElement {
  static override styles = [
    ...pickPeopleStyles,
    css`
      .submit {
        width: 100%;
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @state() private busy = false;
  @state() private error = '';
  private readonly people = new PeopleController(this, () => this.session);
  private readonly network = new OnlineController(this);

  override render() {
    const { friends, remarks } = this.people.snapshot;
    const online = this.network.online;
    return html`<form @submit=${this.submit} novalidate>
      ${online ? nothing : html`<p class="notice" role="status">${offlineNotice(msg('Making a group'))}</p>`}
      <div class="field">
        <label for="title">${msg('Group name')}</label>
        <input id="title" name="title" required maxlength=${NAME_MAX_LENGTH} autocomplete="off" data-testid="group-title-input" />
      </div>
      <section>
        <h3>${msg('Members')}</h3>
        <ul class="people">
          ${friends.map((friend) => {
            const shown = personName(friend.id, friend.name, remarks);
            return html`<li>
              <label class="option" data-testid="group-member-option" data-user-id=${friend.id}>
                <input type="checkbox" name="member" value=${friend.id} />
                <person-avatar .name=${shown} .src=${friend.avatar} .seed=${friend.id}></person-avatar>
                <span class="name">${shown}</span>
              </label>
            </li>`;
          })}
          <li>
            <label class="option" data-testid="group-member-option" data-user-id=${ROBOT_USER_ID}>
              <input type="checkbox" name="member" value=${ROBOT_USER_ID} />
              ${robotAvatar(40)}
              <span class="names"><span class="name">${robotName()}</span><span class="sub">${msg('Answers when someone writes @robot')}</span></span>
            </label>
          </li>
        </ul>
        ${friends.length === 0 ? html`<small>${msg('Only friends can be added. Invite others with a link once the group exists.')}</small>` : nothing}
      </section>
      ${this.error ? html`<p class="error" role="alert" data-testid="form-error">${this.error}</p>` : nothing}
      <button type="submit" class="submit" data-testid="group-create-submit" ?disabled=${this.busy || !online}>
        ${this.busy ? msg('Creating…') : msg('Create group')}
      </button>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(event.target as HTMLFormElement);
    const title = String(data.get('title') ?? '').trim();
    if (!title) {
      this.error = msg('Please give the group a name.');
      return;
    }
    const memberIds = data.getAll('member').map(String);
    this.busy = true;
    this.error = '';
    const result = await social.createGroup(title, memberIds);
    this.busy = false;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Making a group'));
      return;
    }
    openConversation(this, result.value.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-create-form': GroupCreateForm;
  }
}
