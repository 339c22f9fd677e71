import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { FRIEND_NOTE_MAX_LENGTH } from '../../shared/limits.js';
import type { PersonSummary } from '../../shared/schema.js';
import type { PeopleSnapshot } from '../data/people/people-directory.js';
import { social } from '../data/api/social-client.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import { openConversation } from './sheets.js';
import './person-avatar.js';

/** Wait this long after the last keystroke before searching. */
const SEARCH_DELAY_MS = 300;

type Relation = 'friend' | 'requested' | 'asked-me' | 'none';

/**
 * Find people by name prefix or exact email, and send one a friend request
 * with a short note. Needs the network; the parent says whether it is there.
 */
@customElement('friend-search')
@localized()
export class FriendSearch extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      form.search {
        margin: 0 0 8px;
      }
      .request {
        flex-basis: 100%;
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      .request .actions {
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: false }) people: PeopleSnapshot | undefined;
  @property({ type: Boolean }) online = true;
  @state() private results: PersonSummary[] | undefined;
  @state() private searched = '';
  @state() private composingFor: string | undefined;
  @state() private busy = false;
  @state() private error = '';
  @state() private sent = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older queries that arrive late are ignored. */
  private latestQuery = 0;

  override disconnectedCallback() {
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  override render() {
    return html`
      <form class="search" role="search" @submit=${this.submitSearch}>
        <label for="search">${msg('Find people')}</label>
        <input id="search" type="search" enterkeyhint="search" autocomplete="off" data-testid="friend-search-input"
          placeholder=${msg('A name, or an exact email')} ?disabled=${!this.online} @input=${this.onInput} />
      </form>
      ${this.error ? html`<p class="error" role="alert" data-testid="friend-search-error">${this.error}</p>` : nothing}
      ${this.sent ? html`<p class="notice" role="status" data-testid="friend-request-sent">${this.sent}</p>` : nothing}
      ${this.renderResults()}
    `;
  }

  private renderResults() {
    if (!this.results) return nothing;
    if (this.results.length === 0) return html`<p class="empty">${msg(str`Nobody found for “${this.searched}”.`)}</p>`;
    return html`<ul class="people" aria-label=${msg('People found')}>
      ${this.results.map((person) => this.renderPerson(person))}
    </ul>`;
  }

  private renderPerson(person: PersonSummary) {
    const relation = this.relationTo(person.id);
    return html`<li data-testid="friend-search-result" data-user-id=${person.id}>
      <span class="who">
        <person-avatar .name=${person.name} .src=${person.avatar} .seed=${person.id}></person-avatar>
        <span class="names"><span class="name">${person.name}</span></span>
      </span>
      ${this.renderAction(person, relation)}
      ${this.composingFor === person.id ? this.renderRequestForm(person) : nothing}
    </li>`;
  }

  private renderAction(person: PersonSummary, relation: Relation) {
    switch (relation) {
      case 'friend': {
        const friend = this.people?.friendById.get(person.id);
        return html`<button type="button" class="secondary" data-testid="friend-chat"
          @click=${() => friend && openConversation(this, friend.conversationId)}>${msg('Chat')}</button>`;
      }
      case 'requested':
        return html`<span class="tag">${msg('Request sent')}</span>`;
      case 'asked-me':
        return html`<span class="tag">${msg('Asked you (see Requests)')}</span>`;
      case 'none':
        return this.composingFor === person.id
          ? nothing
          : html`<button type="button" data-testid="friend-add" ?disabled=${!this.online}
              @click=${() => this.compose(person.id)}>${msg('Add')}</button>`;
    }
  }

  private renderRequestForm(person: PersonSummary) {
    return html`<form class="request" @submit=${(event: SubmitEvent) => this.send(event, person)}>
      <label for="note">${msg(str`A note for ${person.name} (optional)`)}</label>
      <input id="note" name="note" maxlength=${FRIEND_NOTE_MAX_LENGTH} autocomplete="off" data-testid="friend-request-note"
        placeholder=${msg("Hi, it's me from…")} />
      <div class="actions">
        <button type="button" class="secondary" @click=${() => (this.composingFor = undefined)}>${msg('Cancel')}</button>
        <button type="submit" data-testid="friend-request-send" ?disabled=${this.busy || !this.online}>
          ${this.busy ? msg('Sending…') : msg('Send request')}
        </button>
      </div>
    </form>`;
  }

  private relationTo(userId: string): Relation {
    const people = this.people;
    if (!people) return 'none';
    if (people.friendById.has(userId)) return 'friend';
    if (people.requests.outgoing.some((r) => r.person.id === userId)) return 'requested';
    if (people.requests.incoming.some((r) => r.person.id === userId)) return 'asked-me';
    return 'none';
  }

  private compose(userId: string) {
    this.composingFor = userId;
    this.sent = '';
    this.error = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#note')?.focus());
  }

  private onInput(event: InputEvent) {
    const query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(query), SEARCH_DELAY_MS);
  }

  private submitSearch(event: SubmitEvent) {
    event.preventDefault();
    clearTimeout(this.timer);
    const input = this.renderRoot.querySelector<HTMLInputElement>('#search');
    void this.search(input?.value ?? '');
  }

  private async search(raw: string) {
    const query = raw.trim();
    const ticket = ++this.latestQuery;
    if (!query) {
      this.results = undefined;
      this.error = '';
      return;
    }
    const result = await social.searchPeople(query);
    if (ticket !== this.latestQuery) return;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Finding people'));
      return;
    }
    this.error = '';
    this.searched = query;
    this.results = result.value;
  }

  private async send(event: SubmitEvent, person: PersonSummary) {
    event.preventDefault();
    if (this.busy) return;
    const note = String(new FormData(event.target as HTMLFormElement).get('note') ?? '').trim();
    this.busy = true;
    this.error = '';
    const result = await social.sendFriendRequest({ userId: person.id }, note);
    this.busy = false;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Sending a friend request'));
      return;
    }
    this.composingFor = undefined;
    this.sent = result.value.accepted
      ? `${person.name} had already asked you: you are friends now.`
      : msg(str`Friend request sent to ${person.name}.`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'friend-search': FriendSearch;
  }
}
