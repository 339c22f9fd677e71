import { localized, msg, str } from '@lit/localize';
import { plural } from '../i18n/formats.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConversationSummary } from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { BackToListController } from '../controllers/back-to-list-controller.js';
import { MediaQueryController } from '../controllers/media-query-controller.js';
import { MessageAlertsController } from '../controllers/message-alerts-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { chatHomeStyles } from './chat-home-styles.js';
import { formStyles } from './form-styles.js';
import { lazy } from './lazy.js';
import { tabForKey } from './tab-keys.js';
import type { Sheet, ShowPersonDetail } from './sheets.js';
import type { ChatView } from './chat-view.js';
import type { ConversationList } from './conversation-list.js';
import type { SearchOpenDetail } from './search-panel.js';
import './conversation-list.js';
import { listStatesOf } from '../data/messages/list-states.js';
import './new-conversation-form.js';
import './person-avatar.js';
import './sites-button.js';
import './sync-status.js';

const TABS = ['chats', 'friends'] as const;
type Tab = (typeof TABS)[number];

/** Friends, groups and profiles are used now and then: their panels load on first use (and are precached for offline). */
const loadPanels = lazy(() => import('./social-panels.js'));

/**
 * The open conversation (`<chat-view>`: messages, composer, their controllers) is a
 * chunk of its own, so the shell that renders the list is smaller. chat-app starts
 * loading it at boot when someone was signed in here, alongside `/api/me` and
 * IndexedDB; the service worker precaches it, so it opens offline too.
 */
export const loadConversationPane = lazy(() => import('./chat-view.js'));

/** "Block visitor" is only for the rare widget conversation: it loads when one opens. */
const loadBlockVisitorButton = lazy(() => import('./block-visitor-button.js'));

/** Search (its field, results and the device index with MiniSearch) is a chunk of its own, loaded once signed in. */
const loadSearch = lazy(() => import('./search-panel.js'));

/** What the chat view shows, and why it is read-only, when I am no longer in a conversation. */
const READ_ONLY_REASONS = (): Record<NonNullable<ConversationSummary['ended']>, string> => ({
  left: msg('You left this group. You are no longer a member; what you had stays here, read-only.'),
  removed: msg('You were removed from this group. You are no longer a member; what you had stays here, read-only.'),
  disbanded: msg('This group was disbanded. You are no longer a member; what you had stays here, read-only.'),
  'account-deleted': msg('This person deleted their account. What you had stays here, read-only.'),
});

/**
 * The signed-in screen: header (sync status, my profile, sign out), the
 * Chats and Friends tabs, the open conversation, and panels over it
 * (a person, a group's info, a new group, my profile, an invite). Two panes
 * on wide screens, one at a time on narrow ones; panels are drawers on wide
 * screens and full screen on narrow ones. Keeps the page title's unread count
 * (and desktop notifications). Fires `sign-out`, and `close-join` when an
 * invite preview is dismissed.
 */
@customElement('chat-home')
@localized()
export class ChatHome extends LitElement {
  static override styles = [formStyles, chatHomeStyles];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() conversationId: string | undefined;
  /** An invite link's code (`/join/<code>`): its preview opens over the app. */
  @property() joinCode: string | undefined;
  @state() private tab: Tab = 'chats';
  /** Open panels, the top one shown; closing one shows the one below. */
  @state() private sheets: Sheet[] = [];
  @state() private panelsLoaded = false;
  @state() private loadError = '';
  /** The search field holds a query: its results take the list's place. */
  @state() private searching = false;
  /** The message a search result asked to show (a new object each time, so choosing it again shows it again). */
  @state() private reveal: SearchOpenDetail | undefined;
  private readonly backToList = new BackToListController(
    this,
    () => this.conversationId,
    (id) => {
      const list = this.renderRoot.querySelector<ConversationList>('conversation-list');
      void list?.updateComplete.then(() => list.focusCurrent(id));
    },
  );
  private readonly people = new PeopleController(this, () => this.session);
  /**
   * One pane at a time (chat-home-styles.ts): as in mobile chats, Sites and
   * Sign out move from the bar into my profile sheet (the "me" screen), and
   * an open conversation takes the whole screen.
   */
  private readonly onePane = new MediaQueryController(this, '(max-width: 767px)');

  constructor() {
    super();
    new SessionController(this, () => this.session);
    // The unread count in the title and notifications follow the session, open conversation or not.
    new MessageAlertsController(this, () => this.session);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    this.dataset.pane = this.conversationId ? 'chat' : 'list';
    if (changed.has('conversationId') || !this.hasUpdated) void this.ensureConversationPane();
    // The session is private (it comes by context), so it is looked up by name.
    if ((changed.has('conversationId') || (changed as PropertyValues).has('session')) && this.conversationId) {
      // Its document loads from IndexedDB while the pane's chunk loads (the pane opens the same one).
      this.session?.openConversation(this.conversationId);
      // Opening reads it: a mark of "unread" made by hand goes (docs/CLIENT.md, "List actions").
      if (this.session) listStatesOf(this.session).opened(this.conversationId);
    }
    const open = this.conversationId ? this.session?.conversation(this.conversationId) : undefined;
    if (open?.kind === 'widget') {
      void loadBlockVisitorButton().catch((error: unknown) => console.warn('Loading the block visitor button failed', error));
    }
    // The Chats tab's content (the search field with it) is made anew when shown again: its query is gone.
    if ((changed as PropertyValues).has('tab') && this.tab !== 'chats') this.searching = false;
    if (this.session) void loadSearch().catch((error: unknown) => console.warn('Loading search failed', error));
    if (changed.has('joinCode') && this.joinCode) void this.openSheet({ kind: 'join', code: this.joinCode });
    if (changed.has('conversationId')) {
      // Another conversation: its info panel no longer applies.
      this.sheets = this.sheets.filter((s) => s.kind !== 'group-info' || s.conversationId === this.conversationId);
    }
  }

  override render() {
    const session = this.session;
    const people = this.people.snapshot;
    const myName = people.profile.name ?? session?.me.name ?? '';
    const incoming = people.requests.incoming.length;
    return html`
      <header class="bar">
        <a class="skip" href="#" data-testid="skip-link" @click=${this.skip}>
          ${this.conversationId ? msg('Skip to the message box') : msg('Skip to conversations')}</a>
        <h1 class="brand"><img src="/icons/icon.svg" alt="" /><span>${msg('Happy Chat')}</span></h1>
        <sync-status></sync-status>
        <div class="spacer"></div>
        <button class="me" type="button" data-testid="profile-edit" title=${msg('My profile')} @click=${() => this.openSheet({ kind: 'profile-edit' })}>
          <person-avatar .name=${myName} .src=${people.profile.avatar} .seed=${session?.me.id ?? ''} size="32"></person-avatar>
          <span data-testid="current-user">${myName}</span>
        </button>
        ${this.onePane.matches ? nothing : this.renderAccountActions()}
      </header>
      <main class="panes">
        <nav class="list" aria-label=${msg('Conversations and friends')}>
          <div class="tabs">
            <div class="tablist" role="tablist" aria-label=${msg('Show')}>
            <button type="button" role="tab" id="chats-tab" data-testid="chats-tab" aria-controls="chats-panel"
              aria-selected=${this.tab === 'chats' ? 'true' : 'false'} tabindex=${this.tab === 'chats' ? '0' : '-1'}
              @click=${() => (this.tab = 'chats')} @keydown=${this.tabKeydown}>${msg('Chats')}</button>
            <button type="button" role="tab" id="friends-tab" data-testid="friends-tab" aria-controls="friends-panel" data-count=${incoming}
              aria-selected=${this.tab === 'friends' ? 'true' : 'false'} tabindex=${this.tab === 'friends' ? '0' : '-1'}
              @click=${this.showFriends} @keydown=${this.tabKeydown}>
              ${msg('Friends')}${
                incoming > 0
                  ? html`<span class="badge" aria-hidden="true">${incoming}</span><span class="visually-hidden">, ${plural(incoming, { one: () => msg('1 friend request'), other: () => msg(str`${incoming} friend requests`) })}</span>`
                  : nothing
              }
            </button>
            </div>
            <button type="button" class="secondary new-group" data-testid="group-create"
              @click=${() => this.openSheet({ kind: 'group-create' })}>${msg('New group')}</button>
          </div>
          <!-- A heading each, out of sight (the tab says it): the panels' own h3 headings follow an h2. -->
          <div role="tabpanel" id="chats-panel" aria-labelledby="chats-tab" ?hidden=${this.tab !== 'chats'}>
            <h2 class="visually-hidden">${msg('Chats')}</h2>
            ${this.tab === 'chats' ? this.renderChats() : nothing}</div>
          <div role="tabpanel" id="friends-panel" aria-labelledby="friends-tab" ?hidden=${this.tab !== 'friends'}>
            <h2 class="visually-hidden">${msg('Friends')}</h2>
            ${this.tab === 'friends' ? this.renderFriends() : nothing}</div>
        </nav>
        ${this.renderChat()}
      </main>
      ${this.renderSheet()}
      ${this.loadError ? html`<p class="error toast" role="alert" @click=${() => (this.loadError = '')}>${this.loadError}</p>` : nothing}
    `;
  }

  private renderChats() {
    return html`<search-panel @search-active=${this.searchActive} @search-open=${this.searchOpen}></search-panel>
      <new-conversation-form ?hidden=${this.searching} @find-people=${this.showFriends}></new-conversation-form>
      <conversation-list ?hidden=${this.searching} .selectedId=${this.conversationId}></conversation-list>`;
  }

  private renderFriends() {
    if (!this.panelsLoaded) return html`<p class="loading">${msg('Loading…')}</p>`;
    return html`<friends-panel @show-person=${this.showPerson}></friends-panel>`;
  }

  private renderChat() {
    const id = this.conversationId;
    const summary = id ? this.session?.conversation(id) : undefined;
    const readOnly = summary?.ended ? READ_ONLY_REASONS()[summary.ended] : undefined;
    return html`<chat-view .conversationId=${id} .remarks=${this.people.snapshot.remarks} .reveal=${this.reveal}
      @search-open=${this.searchOpen} .readOnlyReason=${readOnly} @click=${this.onChatClick} @keydown=${this.backToList.keydown}
      @close-conversation=${this.backToList.leaving}>
      ${
        summary?.kind === 'group'
          ? html`<button slot="actions" type="button" class="secondary" data-testid="group-info"
            @click=${() => id && this.openSheet({ kind: 'group-info', conversationId: id })}>${msg('Info')}</button>`
          : summary?.kind === 'direct' && summary.peerId
            ? html`<button slot="actions" type="button" class="secondary" data-testid="peer-profile"
              @click=${() => summary.peerId && this.openSheet({ kind: 'person', userId: summary.peerId })}>${msg('Profile')}</button>`
            : summary?.kind === 'widget' && id && !readOnly
              ? html`<block-visitor-button slot="actions" .conversationId=${id}></block-visitor-button>`
              : nothing
      }
    </chat-view>`;
  }

  private renderSheet() {
    const sheet = this.sheets.at(-1);
    if (!sheet || !this.panelsLoaded) return nothing;
    const stacked = this.sheets.length > 1;
    const content = (() => {
      switch (sheet.kind) {
        case 'person':
          return html`<person-profile .userId=${sheet.userId} .hint=${sheet.hint}
            @friend-deleted=${this.friendDeleted}></person-profile>`;
        case 'group-create':
          return html`<group-create-form></group-create-form>`;
        case 'group-info':
          return html`<group-info-panel .conversationId=${sheet.conversationId}></group-info-panel>`;
        case 'profile-edit':
          return this.onePane.matches
            ? html`<div class="account-actions">${this.renderAccountActions()}</div><profile-editor></profile-editor>`
            : html`<profile-editor></profile-editor>`;
        case 'join':
          return html`<join-view .code=${sheet.code}></join-view>`;
      }
    })();
    return html`<side-sheet .heading=${sheetHeading(sheet)} ?stacked=${stacked} @sheet-close=${this.closeSheet}
      @show-person=${this.showPerson} @edit-profile=${() => this.openSheet({ kind: 'profile-edit' })}
      @open-conversation=${this.conversationOpened}>${content}</side-sheet>`;
  }

  private async openSheet(sheet: Sheet) {
    if (!(await this.ensurePanels())) return;
    const top = this.sheets.at(-1);
    if (top && JSON.stringify(top) === JSON.stringify(sheet)) return;
    this.sheets = [...this.sheets, sheet];
  }

  /** Loads the conversation pane (once); on failure says so, and tries again with the next conversation. */
  private async ensureConversationPane(): Promise<void> {
    try {
      await loadConversationPane();
    } catch (error) {
      console.warn('Loading the conversation view failed', error);
      this.loadError = msg('This part of the app could not be loaded. Check your connection and try again.');
    }
  }

  private async ensurePanels(): Promise<boolean> {
    if (this.panelsLoaded) return true;
    try {
      await loadPanels();
      this.panelsLoaded = true;
      this.loadError = '';
      return true;
    } catch (error) {
      console.warn('Loading the friends and groups panels failed', error);
      this.loadError = msg('This part of the app could not be loaded. Check your connection and try again.');
      return false;
    }
  }

  private readonly showFriends = async () => {
    this.tab = 'friends';
    await this.ensurePanels();
  };

  /** Arrow keys, Home and End move between the tabs; the tab reached is shown and focused. */
  private readonly tabKeydown = async (event: KeyboardEvent) => {
    const next = tabForKey(event.key, TABS, this.tab);
    if (!next) return;
    event.preventDefault();
    if (next === 'friends') void this.showFriends();
    else this.tab = next;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${next}-tab`)?.focus();
  };

  private readonly showPerson = (event: CustomEvent<ShowPersonDetail>) => {
    event.stopPropagation();
    void this.openSheet({ kind: 'person', userId: event.detail.userId, hint: event.detail.hint });
  };

  /**
   * A message author's name opens their profile: chat-message-list renders
   * it as `.author` inside the message's `[data-author]` element.
   */
  private readonly onChatClick = (event: Event) => {
    let onName = false;
    for (const target of event.composedPath()) {
      if (target === event.currentTarget || !(target instanceof HTMLElement)) return;
      if (target.classList.contains('author')) onName = true;
      const authorId = target.dataset.author;
      if (authorId) {
        if (onName && authorId !== 'system') void this.openSheet({ kind: 'person', userId: authorId });
        return;
      }
    }
  };

  private readonly closeSheet = () => {
    const closed = this.sheets.at(-1);
    this.sheets = this.sheets.slice(0, -1);
    if (closed?.kind === 'join') this.dispatchEvent(new CustomEvent('close-join', { bubbles: true, composed: true }));
  };

  private readonly searchActive = (event: CustomEvent<{ active: boolean }>) => {
    this.searching = event.detail.active;
  };

  /** A search result was chosen: its conversation opens (chat-app routes), at its message if it names one. */
  private readonly searchOpen = (event: CustomEvent<SearchOpenDetail>) => {
    event.stopPropagation();
    this.reveal = { ...event.detail };
    if (event.detail.conversationId === this.conversationId) return;
    this.dispatchEvent(
      new CustomEvent('open-conversation', { detail: { id: event.detail.conversationId }, bubbles: true, composed: true }),
    );
  };

  /** A panel opened a conversation (a new group, a joined one, "Send message"): the panels make way. */
  private readonly conversationOpened = () => {
    this.sheets = [];
  };

  /** The friend I just deleted had their chat open: it is gone from my list, so back to the list. */
  private readonly friendDeleted = (event: CustomEvent<{ conversationId: string }>) => {
    if (event.detail.conversationId === this.conversationId) {
      this.dispatchEvent(new CustomEvent('close-conversation', { bubbles: true, composed: true }));
    }
  };

  /** The skip link: past the header and tabs, to the message box or the conversations. */
  private readonly skip = (event: Event) => {
    event.preventDefault();
    if (this.conversationId) void this.renderRoot.querySelector<ChatView>('chat-view')?.focusComposer();
    else {
      this.tab = 'chats';
      void this.updateComplete.then(() => this.renderRoot.querySelector<ConversationList>('conversation-list')?.focusCurrent());
    }
  };

  /** Sites and Sign out: in the bar on wide screens, at the top of my profile sheet on phones. */
  private renderAccountActions() {
    return html`<sites-button></sites-button>
      <button class="secondary" type="button" data-testid="signout" @click=${this.signOut}>${msg('Sign out')}</button>`;
  }

  private signOut() {
    this.dispatchEvent(new CustomEvent('sign-out', { bubbles: true, composed: true }));
  }
}

function sheetHeading(sheet: Sheet): string {
  switch (sheet.kind) {
    case 'person':
      return msg('Profile');
    case 'group-create':
      return msg('New group');
    case 'group-info':
      return msg('Group info');
    case 'profile-edit':
      return msg('My profile');
    case 'join':
      return msg('Join a group');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-home': ChatHome;
  }
}
