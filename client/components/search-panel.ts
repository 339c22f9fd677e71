import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import { authorsOf, messagesOf, type ConversationSummary, type FriendEntry } from '../../shared/schema.js';
import { PeopleController } from '../controllers/people-controller.js';
import { sessionContext } from '../controllers/session-context.js';
import { searchServer } from '../data/api/search-client.js';
import { conversationTitle, personName } from '../data/people/display-names.js';
import {
  groupResults,
  matchingConversations,
  matchingPeople,
  type MessageResult,
  type ResultGroup,
} from '../data/search/search-results.js';
import { searchOf } from '../data/search/session-search.js';
import { snippetPieces } from '../data/search/snippet.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { plural } from '../i18n/formats.js';
import { listTime } from './message-time.js';
import { searchPanelStyles } from './search-panel-styles.js';

/** Detail of `search-open`: a conversation to open, at a message if one was chosen. */
export interface SearchOpenDetail {
  conversationId: string;
  messageId?: string;
}

/** Typing pauses this long before a search runs. */
const TYPING_PAUSE_MS = 200;

type ServerState = 'idle' | 'searching' | 'done' | 'offline' | 'failed';

/**
 * The search field and its results: over every conversation (in the list)
 * or inside one (`conversationId`). Messages come from this device first
 * (client/data/search/, offline too), then from the server for history the
 * device does not hold; conversations and people by name, over everything
 * only. Results are grouped by conversation, the match marked, with its
 * time. Fires `search-open` when one is chosen, and `search-active` when
 * the field gets or loses a query (the list makes room).
 */
@customElement('search-panel')
@localized()
export class SearchPanel extends LitElement {
  static override styles = searchPanelStyles;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  /** Search inside this conversation only. */
  @property() conversationId: string | undefined;
  @state() private query = '';
  @state() private groups: ResultGroup[] = [];
  @state() private chats: ConversationSummary[] = [];
  @state() private people: FriendEntry[] = [];
  @state() private server: ServerState = 'idle';
  @query('input') private input?: HTMLInputElement;
  private readonly directory = new PeopleController(this, () => this.session);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Each search's number: an answer to an older one is dropped. */
  private generation = 0;

  protected override willUpdate(): void {
    // Following open conversations starts with the field, so the index is warm when the person types.
    if (this.session) searchOf(this.session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  /** Puts focus in the field. */
  override focus(): void {
    this.input?.focus();
  }

  override render() {
    const label = this.conversationId ? msg('Search in this conversation') : msg('Search messages, chats and people');
    return html`
      <form role="search" aria-label=${label} @submit=${(event: Event) => event.preventDefault()}>
        <label for="search-field">${label}</label>
        <input id="search-field" type="search" data-testid="search-input" autocomplete="off" enterkeyhint="search"
          .value=${this.query} @input=${this.typed} @keydown=${this.keydown} />
      </form>
      ${this.query.trim() ? this.renderResults() : nothing}
    `;
  }

  private renderResults() {
    const count = this.groups.reduce((sum, group) => sum + group.messages.length, 0) + this.chats.length + this.people.length;
    return html`<section class="results" data-testid="search-results" aria-label=${msg('Search results')}>
      <p class="summary" role="status" data-testid="search-summary">
        ${plural(count, { one: () => msg('1 result'), other: () => msg(str`${count} results`) })}${this.renderServerState()}
      </p>
      ${this.chats.length > 0 ? this.renderChats() : nothing}
      ${this.people.length > 0 ? this.renderPeople() : nothing}
      ${repeat(
        this.groups,
        (group) => group.conversationId,
        (group) => this.renderGroup(group),
      )}
    </section>`;
  }

  private renderServerState() {
    switch (this.server) {
      case 'searching':
        return html`<span class="note"> · ${msg('Searching the server…')}</span>`;
      case 'offline':
        return html`<span class="note" data-testid="search-offline"> · ${msg('Offline: only what is on this device')}</span>`;
      case 'failed':
        return html`<span class="note"> · ${msg('The server search failed; showing what is on this device')}</span>`;
      default:
        return nothing;
    }
  }

  private renderChats() {
    return html`<h3>${msg('Chats')}</h3>
      <ul>
        ${this.chats.map(
          (chat) => html`<li><button type="button" data-testid="search-chat" @click=${() => this.open({ conversationId: chat.id })}>
            <span class="title">${this.highlight(this.titleOf(chat.id))}</span></button></li>`,
        )}
      </ul>`;
  }

  private renderPeople() {
    const remarks = this.directory.snapshot.remarks;
    return html`<h3>${msg('People')}</h3>
      <ul>
        ${this.people.map(
          (friend) => html`<li><button type="button" data-testid="search-person"
            @click=${() => this.open({ conversationId: friend.conversationId })}>
            <span class="title">${this.highlight(personName(friend.id, friend.name, remarks))}</span></button></li>`,
        )}
      </ul>`;
  }

  private renderGroup(group: ResultGroup) {
    return html`<h3 data-testid="search-group">${this.titleOf(group.conversationId)}</h3>
      <ul>
        ${repeat(
          group.messages,
          (message) => message.messageId,
          (message) => this.renderMessage(message),
        )}
      </ul>`;
  }

  private renderMessage(message: MessageResult) {
    const author = this.authorName(message);
    return html`<li>
      <button type="button" data-testid="search-hit" data-message-id=${message.messageId} @click=${() => this.open(message)}>
        <span class="line">
          ${author ? html`<span class="author">${author}</span>` : nothing}
          <time datetime=${new Date(message.createdAt).toISOString()}>${listTime(message.createdAt)}</time>
        </span>
        <span class="text" data-testid="search-hit-text">${this.highlight(message.text)}</span>
        ${message.fromServer ? html`<span class="note">${msg('From the server')}</span>` : nothing}
      </button>
    </li>`;
  }

  /** The text with each match in `<mark>`: pieces of text, escaped by Lit. */
  private highlight(text: string) {
    return snippetPieces(text, this.query).map((piece) => (piece.match ? html`<mark>${piece.text}</mark>` : piece.text));
  }

  private titleOf(conversationId: string): string {
    const summary = this.session?.conversation(conversationId);
    return summary ? conversationTitle(summary, this.directory.snapshot.remarks) : msg('Conversation');
  }

  /** The author as I know them: me, my remark or friend's name, the conversation's members if it is open here, else nothing. */
  private authorName({ conversationId, author }: MessageResult): string {
    const session = this.session;
    if (!session) return '';
    if (author === session.me.id) return msg('You');
    if (author === ROBOT_USER_ID) return robotName();
    const { remarks, friendById } = this.directory.snapshot;
    const friend = friendById.get(author);
    if (friend) return personName(author, friend.name, remarks);
    const open = session.openedConversation(conversationId);
    const member = open ? authorsOf(open.doc)[author]?.name : undefined;
    if (member) return member;
    const summary = session.conversation(conversationId);
    return summary?.kind === 'direct' && summary.peerId === author ? summary.title : '';
  }

  private readonly typed = (event: Event) => {
    this.query = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent('search-active', { detail: { active: Boolean(this.query.trim()) }, bubbles: true, composed: true }));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), TYPING_PAUSE_MS);
  };

  private readonly keydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.query) {
      // Clearing the field uses the key up; an empty field lets it go on (on a phone, back to the list).
      event.stopPropagation();
      event.preventDefault();
      this.clear();
    }
  };

  /** Empties the field and the results. */
  clear(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.query = '';
    this.groups = [];
    this.chats = [];
    this.people = [];
    this.server = 'idle';
    this.dispatchEvent(new CustomEvent('search-active', { detail: { active: false }, bubbles: true, composed: true }));
  }

  private async run(): Promise<void> {
    const session = this.session;
    const query = this.query.trim();
    const generation = ++this.generation;
    if (!session || !query) {
      this.groups = [];
      this.chats = [];
      this.people = [];
      return;
    }
    const scope = this.conversationId;
    const device = await searchOf(session).search(query, scope);
    if (generation !== this.generation) return;
    const { friends, remarks } = this.directory.snapshot;
    this.chats = scope ? [] : matchingConversations(session.conversations(), remarks, query);
    this.people = scope ? [] : matchingPeople(friends, remarks, query);
    this.groups = groupResults(device, []);
    if (!navigator.onLine) {
      this.server = 'offline';
      return;
    }
    this.server = 'searching';
    const answer = await searchServer(query, scope);
    if (generation !== this.generation) return;
    if (!answer.ok) {
      this.server = answer.status === 0 ? 'offline' : 'failed';
      return;
    }
    this.server = 'done';
    this.groups = groupResults(device, answer.value.hits, (conversationId, messageId) => this.deletedHere(conversationId, messageId));
  }

  /** Whether this device holds the message as deleted (a server answer may be older than a delete). */
  private deletedHere(conversationId: string, messageId: string): boolean {
    // The message may be in any segment open here (docs/SEGMENTS.md), not only `conv/<id>`.
    const open = this.session?.openedDocsByConversation().get(conversationId) ?? [];
    return open.some(({ doc }) => messagesOf(doc).get(messageId)?.deleted === true);
  }

  private open(detail: SearchOpenDetail) {
    this.dispatchEvent(
      new CustomEvent<SearchOpenDetail>('search-open', {
        detail: { conversationId: detail.conversationId, ...(detail.messageId ? { messageId: detail.messageId } : {}) },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'search-panel': SearchPanel;
  }
}
