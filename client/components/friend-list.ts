import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { FriendEntry } from '../../shared/schema.js';
import { PresenceController } from '../controllers/presence-controller.js';
import { sessionContext } from '../controllers/session-context.js';
import { NO_REMARKS, nameBesideRemark, personName, type Remarks } from '../data/people/display-names.js';
import { lastSeenText } from '../data/people/last-seen-text.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import { openConversation, showPerson } from './sheets.js';
import './person-avatar.js';

/**
 * My friends, from my own document (so it works offline), each by my remark
 * with their own name beside it, and online or last seen when the server
 * lets me see it (issue 15). A friend opens their profile (remark,
 * delete, block); "Chat" opens our conversation.
 */
@customElement('friend-list')
@localized()
export class FriendList extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      .presence[data-online] {
        color: var(--hc-ok, #187a43);
      }
    `,
  ];

  @property({ attribute: false }) friends: FriendEntry[] = [];
  @property({ attribute: false }) remarks: Remarks = NO_REMARKS;
  /** The signed-in session, from the app root (`sessionContext`): whose presence to ask for. */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  private readonly presence = new PresenceController(this, () => this.session);

  override render() {
    if (this.friends.length === 0) {
      return html`<p class="empty" data-testid="no-friends">${msg('No friends yet. Find people above and send them a request.')}</p>`;
    }
    return html`<ul class="people" aria-label=${msg('Friends')}>
      ${repeat(
        this.friends,
        (f) => f.id,
        (friend) => {
          const shown = personName(friend.id, friend.name, this.remarks);
          const beside = nameBesideRemark(friend.id, friend.name, this.remarks);
          const presence = this.presence.of(friend.id);
          return html`<li data-user-id=${friend.id}>
            <button type="button" class="who" data-testid="friend-item"
              @click=${() => showPerson(this, friend.id, { name: friend.name, avatar: friend.avatar })}>
              <person-avatar .name=${shown} .src=${friend.avatar} .seed=${friend.id}></person-avatar>
              <span class="names">
                <span class="name" data-testid="friend-name">${shown}</span>
                ${beside ? html`<span class="sub">${beside}</span>` : nothing}
                ${
                  presence
                    ? html`<span class="sub presence" data-testid="friend-presence" ?data-online=${presence.online}>${lastSeenText(presence)}</span>`
                    : nothing
                }
              </span>
            </button>
            <button type="button" class="secondary" data-testid="friend-chat" aria-label=${msg(str`Chat with ${shown}`)}
              @click=${() => openConversation(this, friend.conversationId)}>${msg('Chat')}</button>
          </li>`;
        },
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'friend-list': FriendList;
  }
}
