import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { offlineNotice } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import './blocked-people.js';
import './friend-list.js';
import './friend-requests.js';
import './friend-search.js';

/**
 * The Friends tab: find people, answer and withdraw friend requests, my
 * friends, the people I blocked. What comes from my document (requests,
 * friends) reads offline; what needs the server is disabled, and says so.
 */
@customElement('friends-panel')
@localized()
export class FriendsPanel extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
        padding: 12px;
        background: var(--hc-bg, #f3f5f9);
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  private readonly people = new PeopleController(this, () => this.session);
  private readonly network = new OnlineController(this);

  override render() {
    const people = this.people.snapshot;
    const online = this.network.online;
    return html`
      ${online ? nothing : html`<p class="notice" role="status" data-testid="offline-notice">${offlineNotice(msg('Finding people and answering requests'))}</p>`}
      <section><friend-search .people=${people} ?online=${online}></friend-search></section>
      <friend-requests .requests=${people.requests} ?online=${online}></friend-requests>
      <section aria-labelledby="friends-heading">
        <h3 id="friends-heading">${msg(str`Friends (${people.friends.length})`)}</h3>
        <friend-list .friends=${people.friends} .remarks=${people.remarks}></friend-list>
      </section>
      <blocked-people ?online=${online}></blocked-people>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'friends-panel': FriendsPanel;
  }
}
