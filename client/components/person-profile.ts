import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import { FRIEND_NOTE_MAX_LENGTH, REMARK_MAX_LENGTH } from '../../shared/limits.js';
import type { FriendEntry } from '../../shared/schema.js';
import type { PublicProfile } from '../../shared/social-api.js';
import type { ApiResult } from '../data/api/api-client.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { nameBesideRemark, personName } from '../data/people/display-names.js';
import { social } from '../data/api/social-client.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { failureMessage } from './api-failure.js';
import { cardPanelStyles } from './panel-styles.js';
import { openConversation, type PersonHint } from './sheets.js';
import './person-avatar.js';

type Confirming = 'delete' | 'block' | undefined;

/**
 * Someone's profile (`GET /api/users/:id`: name, picture, bio, location),
 * with what I can do about them: for a friend, my private remark, "Send
 * message", delete, block; for anyone else, a friend request or a block.
 * Offline it shows what my documents know. Fires `friend-deleted` with the
 * ended conversation's id, and `edit-profile` on my own profile.
 */
@customElement('person-profile')
@localized()
export class PersonProfile extends LitElement {
  static override styles = [
    ...cardPanelStyles,
    css`
      .real {
        color: var(--hc-muted, #5b6472);
      }
      .bio {
        margin: 8px 0 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .location {
        margin: 0;
        color: var(--hc-muted, #5b6472);
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() userId = '';
  @property({ attribute: false }) hint: PersonHint | undefined;
  @state() private profile: PublicProfile | undefined;
  @state() private loadError = '';
  @state() private blocked = false;
  @state() private confirming: Confirming;
  @state() private composing = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private done = '';
  private readonly people = new PeopleController(this, () => this.session);
  private readonly network = new OnlineController(this);

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('userId')) {
      this.profile = undefined;
      this.blocked = false;
      this.confirming = undefined;
      this.composing = false;
      this.error = this.done = this.loadError = '';
      void this.load();
    }
  }

  override render() {
    const people = this.people.snapshot;
    const friend = people.friendById.get(this.userId);
    const isMe = this.userId === this.session?.me.id;
    const name = this.profile?.name ?? friend?.name ?? this.hint?.name ?? (isMe ? (people.profile.name ?? '') : '');
    const avatar = this.profile?.avatar ?? friend?.avatar ?? this.hint?.avatar;
    const shown = personName(this.userId, name || 'Someone', people.remarks);
    const beside = nameBesideRemark(this.userId, name, people.remarks);
    return html`
      <div class="card" data-testid="person-profile" data-user-id=${this.userId}>
        <person-avatar .name=${shown} .src=${avatar} .seed=${this.userId} size="88"></person-avatar>
        <h3 class="card-title" data-testid="person-name">${shown}</h3>
        ${beside ? html`<span class="real">${beside}</span>` : nothing}
        ${this.profile?.location ? html`<p class="location" data-testid="person-location">📍 ${this.profile.location}</p>` : nothing}
        ${this.profile?.bio ? html`<p class="bio" data-testid="person-bio">${this.profile.bio}</p>` : nothing}
      </div>
      ${this.loadError ? html`<p class="notice" role="status">${this.loadError}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert" data-testid="person-error">${this.error}</p>` : nothing}
      ${this.done ? html`<p class="notice" role="status" data-testid="person-done">${this.done}</p>` : nothing}
      ${
        isMe
          ? html`<div class="stack"><button type="button" @click=${this.editProfile}>${msg('Edit my profile')}</button></div>`
          : friend
            ? this.renderFriendActions(friend, shown)
            : this.renderStrangerActions(name || 'them')
      }
    `;
  }

  private renderFriendActions(friend: FriendEntry, shown: string) {
    const online = this.network.online;
    return html`
      <section>
        <form @submit=${(event: SubmitEvent) => this.saveRemark(event, friend)}>
          <label for="remark">${msg(str`Your remark on ${friend.name}`)} <small>${msg('Only you see it, in place of their name.')}</small></label>
          <div class="row-form">
            <input id="remark" name="remark" maxlength=${REMARK_MAX_LENGTH} autocomplete="off" data-testid="friend-remark-input"
              .value=${friend.remark ?? ''} placeholder=${msg('e.g. Mum, Coach')} />
            <button type="submit" data-testid="friend-remark-save" ?disabled=${this.busy || !online}>${msg('Save')}</button>
          </div>
        </form>
      </section>
      <div class="stack">
        <button type="button" data-testid="friend-chat" @click=${() => openConversation(this, friend.conversationId)}>${msg('Send message')}</button>
        ${this.renderConfirmable(
          'delete',
          msg(str`Delete ${shown} from your friends? Your chat ends for both of you.`),
          msg('Delete friend'),
          'friend-delete',
          () => this.deleteFriend(friend),
        )}
        ${this.renderConfirmable('block', msg(str`Block ${shown}? This also ends your friendship.`), msg('Block'), 'person-block', () => this.block(friend.name))}
      </div>
      ${online ? nothing : html`<p class="notice" role="status">${msg('You are offline. Changing a friendship needs the network.')}</p>`}
    `;
  }

  private renderStrangerActions(name: string) {
    const online = this.network.online;
    const requests = this.people.snapshot.requests;
    const outgoing = requests.outgoing.find((r) => r.person.id === this.userId);
    const incoming = requests.incoming.find((r) => r.person.id === this.userId);
    if (this.blocked) {
      return html`<div class="stack">
        <p class="notice">${msg(str`You blocked ${name}.`)}</p>
        <button type="button" class="secondary" data-testid="person-unblock" ?disabled=${this.busy || !online}
          @click=${this.unblock}>${msg('Unblock')}</button>
      </div>`;
    }
    return html`<div class="stack">
      ${
        outgoing
          ? html`<p class="notice">${msg('Friend request sent.')}</p>
            <button type="button" class="secondary" ?disabled=${this.busy || !online}
              @click=${() => this.run(social.withdrawRequest(outgoing.id), msg('Withdrawing a request'), msg('Request withdrawn.'))}>${msg('Withdraw request')}</button>`
          : incoming
            ? html`<button type="button" data-testid="request-accept" ?disabled=${this.busy || !online}
              @click=${() => this.run(social.acceptRequest(incoming.id), msg('Accepting a request'), msg('You are friends now.'))}>${msg('Accept friend request')}</button>`
            : this.composing
              ? html`<form class="stack" @submit=${this.sendRequest}>
                <label for="note">${msg('A note (optional)')}</label>
                <input id="note" name="note" maxlength=${FRIEND_NOTE_MAX_LENGTH} autocomplete="off" data-testid="friend-request-note" />
                <button type="submit" data-testid="friend-request-send" ?disabled=${this.busy || !online}>${msg('Send request')}</button>
              </form>`
              : html`<button type="button" data-testid="friend-add" ?disabled=${!online} @click=${() => (this.composing = true)}>
                ${msg('Add friend')}</button>`
      }
      ${this.renderConfirmable('block', msg(str`Block ${name}? They cannot send you requests or messages.`), msg('Block'), 'person-block', () => this.block(name))}
    </div>`;
  }

  /** A destructive button that asks once, inline (no browser dialog, which phones render badly). */
  private renderConfirmable(kind: NonNullable<Confirming>, question: string, label: string, testId: string, action: () => void) {
    const online = this.network.online;
    if (this.confirming !== kind) {
      return html`<button type="button" class="danger" data-testid=${testId} ?disabled=${this.busy || !online}
        @click=${() => (this.confirming = kind)}>${label}</button>`;
    }
    return html`<p class="confirm" role="alert">
      <span>${question}</span>
      <button type="button" class="secondary" @click=${() => (this.confirming = undefined)}>${msg('Cancel')}</button>
      <button type="button" class="danger solid" data-testid="${testId}-confirm" ?disabled=${this.busy || !online}
        @click=${action}>${label}</button>
    </p>`;
  }

  private async load() {
    const userId = this.userId;
    if (!userId) return;
    if (!navigator.onLine) {
      this.loadError = msg('You are offline: this is what this device knows.');
      return;
    }
    const [profile, blocked] = await Promise.all([social.profile(userId), social.blocked()]);
    if (userId !== this.userId) return;
    if (profile.ok) this.profile = profile.value;
    else if (profile.status === 404) this.loadError = msg('Their full profile is visible to friends and people who share a conversation.');
    else this.loadError = failureMessage(this, profile, msg('Seeing a profile'));
    if (blocked.ok) this.blocked = blocked.value.some((person) => person.id === userId);
  }

  private async run(call: Promise<ApiResult<unknown>>, action: string, done: string): Promise<boolean> {
    this.busy = true;
    this.error = this.done = '';
    const result = await call;
    this.busy = false;
    this.confirming = undefined;
    if (!result.ok) {
      this.error = failureMessage(this, result, action);
      return false;
    }
    this.done = done;
    return true;
  }

  private async saveRemark(event: SubmitEvent, friend: FriendEntry) {
    event.preventDefault();
    const remark = String(new FormData(event.target as HTMLFormElement).get('remark') ?? '').trim();
    await this.run(social.setRemark(friend.id, remark), msg('Saving a remark'), remark ? msg('Remark saved.') : msg('Remark removed.'));
  }

  private async deleteFriend(friend: FriendEntry) {
    if (await this.run(social.deleteFriend(friend.id), msg('Deleting a friend'), msg(str`${friend.name} is no longer your friend.`))) {
      this.dispatchEvent(
        new CustomEvent('friend-deleted', { detail: { conversationId: friend.conversationId }, bubbles: true, composed: true }),
      );
    }
  }

  private async block(name: string) {
    const friend = this.people.snapshot.friendById.get(this.userId);
    if (await this.run(social.block(this.userId), msg('Blocking someone'), msg(str`You blocked ${name}.`))) {
      this.blocked = true;
      if (friend) {
        this.dispatchEvent(
          new CustomEvent('friend-deleted', { detail: { conversationId: friend.conversationId }, bubbles: true, composed: true }),
        );
      }
    }
  }

  private readonly unblock = async () => {
    if (await this.run(social.unblock(this.userId), msg('Unblocking someone'), msg('Unblocked.'))) this.blocked = false;
  };

  private async sendRequest(event: SubmitEvent) {
    event.preventDefault();
    const note = String(new FormData(event.target as HTMLFormElement).get('note') ?? '').trim();
    if (
      await this.run(social.sendFriendRequest({ userId: this.userId }, note), msg('Sending a friend request'), msg('Friend request sent.'))
    ) {
      this.composing = false;
    }
  }

  private editProfile() {
    this.dispatchEvent(new CustomEvent('edit-profile', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'person-profile': PersonProfile;
  }
}
