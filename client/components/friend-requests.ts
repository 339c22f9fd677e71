import { localized, msg, str } from '@lit/localize';
import { dateFormat } from '../i18n/formats.js';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FriendRequestEntry } from '../../shared/schema.js';
import type { RequestLists } from '../data/people/people-directory.js';
import { social } from '../data/api/social-client.js';
import type { ApiResult } from '../data/api/api-client.js';
import { failureMessage } from './api-failure.js';
import { formatWith } from './message-time.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import './person-avatar.js';

/**
 * Pending friend requests, live from my `user/<id>` document (readable
 * offline): answer the ones to me (accept, decline, block), withdraw mine.
 */
@customElement('friend-requests')
@localized()
export class FriendRequests extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) requests: RequestLists = { incoming: [], outgoing: [] };
  @property({ type: Boolean }) online = true;
  /** The request being answered (its buttons wait). */
  @state() private busyId: string | undefined;
  @state() private confirmingBlock: string | undefined;
  @state() private error = '';

  override render() {
    const { incoming, outgoing } = this.requests;
    if (incoming.length === 0 && outgoing.length === 0) return nothing;
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.renderSection('incoming-heading', msg('Friend requests'), incoming, (r) => this.renderIncoming(r))}
      ${this.renderSection('outgoing-heading', msg('Sent requests'), outgoing, (r) => this.renderOutgoing(r))}
    `;
  }

  /** A titled list of requests; nothing when there are none. */
  private renderSection(
    headingId: string,
    heading: string,
    requests: FriendRequestEntry[],
    renderRequest: (request: FriendRequestEntry) => unknown,
  ) {
    if (requests.length === 0) return nothing;
    return html`<section aria-labelledby=${headingId}>
      <h3 id=${headingId}>${heading}</h3>
      <ul class="people">${requests.map(renderRequest)}</ul>
    </section>`;
  }

  private renderIncoming(request: FriendRequestEntry) {
    const busy = this.busyId === request.id || !this.online;
    return html`<li data-testid="incoming-request" data-request-id=${request.id}>
      ${this.renderPerson(request)}
      ${request.note ? html`<p class="note" data-testid="request-note">${request.note}</p>` : nothing}
      ${
        this.confirmingBlock === request.id
          ? html`<p class="confirm">
            <span>${msg(str`Block ${request.person.name}? They cannot send you requests or messages.`)}</span>
            <button type="button" class="secondary" @click=${() => (this.confirmingBlock = undefined)}>${msg('Cancel')}</button>
            <button type="button" class="danger solid" data-testid="confirm-yes" ?disabled=${busy}
              @click=${() => this.block(request)}>${msg('Block')}</button>
          </p>`
          : html`<div class="actions full">
            <button type="button" class="danger" data-testid="request-block" ?disabled=${busy}
              @click=${() => (this.confirmingBlock = request.id)}>${msg('Block')}</button>
            <button type="button" class="secondary" data-testid="request-decline" ?disabled=${busy}
              @click=${() => this.act(request, social.declineRequest(request.id), msg('Declining a request'))}>${msg('Decline')}</button>
            <button type="button" data-testid="request-accept" ?disabled=${busy}
              @click=${() => this.act(request, social.acceptRequest(request.id), msg('Accepting a request'))}>${msg('Accept')}</button>
          </div>`
      }
    </li>`;
  }

  private renderOutgoing(request: FriendRequestEntry) {
    return html`<li data-testid="outgoing-request" data-request-id=${request.id}>
      ${this.renderPerson(request)}
      <button type="button" class="secondary" data-testid="request-withdraw" ?disabled=${this.busyId === request.id || !this.online}
        @click=${() => this.act(request, social.withdrawRequest(request.id), msg('Withdrawing a request'))}>${msg('Withdraw')}</button>
      ${request.note ? html`<p class="note">${request.note}</p>` : nothing}
    </li>`;
  }

  private renderPerson(request: FriendRequestEntry) {
    const { person } = request;
    return html`<span class="who">
      <person-avatar .name=${person.name} .src=${person.avatar} .seed=${person.id}></person-avatar>
      <span class="names">
        <span class="name">${person.name}</span>
        <span class="sub">${formatWith(dateFormat({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }), request.createdAt)}</span>
      </span>
    </span>`;
  }

  /** The request leaves the list by itself when the server updates my document. */
  private async act(request: FriendRequestEntry, call: Promise<ApiResult<unknown>>, action: string) {
    this.busyId = request.id;
    this.error = '';
    const result = await call;
    this.busyId = undefined;
    if (!result.ok) this.error = failureMessage(this, result, action);
  }

  private async block(request: FriendRequestEntry) {
    this.confirmingBlock = undefined;
    await this.act(request, social.block(request.person.id), msg('Blocking someone'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'friend-requests': FriendRequests;
  }
}
