import { localized, msg } from '@lit/localize';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { provide } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import type { Me } from '../../shared/api.js';
import { isValidId } from '../../shared/doc-names.js';
import { api } from '../data/api/api-client.js';
import { resolveBootState } from '../data/session/boot.js';
import { ChatSession } from '../data/session/chat-session.js';
import { appSyncOptions } from '../data/sync/app-sync-options.js';
import type { DocConnectionOptions } from '../data/sync/doc-connection.js';
import { backgroundSyncWanted, startBackgroundSync } from '../data/sync/background-sync.js';
import { OpenDocuments } from '../data/sync/open-documents.js';
import { deleteLocalDataOf } from '../data/sync/local-data.js';
import { PendingIndex } from '../data/messages/pending-index.js';
import { push } from '../data/api/push-client.js';
import { LastSignedIn } from '../data/session/last-signed-in.js';
import { SessionController } from '../controllers/session-controller.js';
import { sessionContext } from '../controllers/session-context.js';
import { isMailLinkRoute, parseRoute, routePath, type Route } from '../data/session/route.js';
import type { OpenConversationDetail } from './conversation-list.js';
import type { SignedInDetail } from './sign-in-form.js';
import type { SignedUpDetail } from './sign-up-form.js';
import type { LeaveActivationDetail } from './activation-view.js';
import { loadConversationPane } from './chat-home.js';
import { formStyles, toastStyles } from './form-styles.js';
import { lazy } from './lazy.js';
import './sign-in-form.js';

/** Sign-up and the mail links' screens: not in the app shell (see ./auth-views.ts). */
const loadAuthViews = lazy(() => import('./auth-views.js'));

type AuthView = 'sign-in' | 'sign-up' | 'check-mail';

const loadFailed = () => msg('This part of the app could not be loaded. Check your connection and try again.');
const loading = () => html`<div class="screen booting" role="main">${msg('Loading…')}</div>`;

const sessionEndedNotice = () => msg('Your session has ended. Sign in again to keep syncing; your unsent messages are kept.');

/**
 * The app root: decides who is signed in (online or from the last session
 * when offline), routes by path, and owns the chat session's lifetime.
 */
@customElement('chat-app')
@localized()
export class ChatApp extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        height: 100dvh;
      }
      .screen {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
      }
      chat-home {
        flex: 1;
        min-height: 0;
      }
      .booting {
        display: grid;
        place-items: center;
        height: 100%;
        color: var(--hc-muted, #5b6472);
      }
      .ended {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: center;
        gap: 4px 12px;
        padding: 4px 12px;
        padding-top: max(4px, env(safe-area-inset-top, 0px));
        background: var(--hc-warn-soft, #fff4d6);
        border-bottom: 1px solid var(--hc-warn-border, #f0d58c);
      }
      .overlay {
        position: fixed;
        inset: 0;
        z-index: 6;
        overflow-y: auto;
        background: var(--hc-bg, #f3f5f9);
      }
    `,
    toastStyles,
  ];

  @state() private route: Route = parseRoute(window.location);
  @state() private booting = true;
  /** Provided to every component below that shows the person's chats (`sessionContext`). */
  @provide({ context: sessionContext })
  @state()
  private session: ChatSession | undefined;
  @state() private authView: AuthView = 'sign-in';
  @state() private authEmail = '';
  /** An API call answered 401 (the relay's 4401 is read from the session). */
  @state() private apiUnauthenticated = false;
  /** The sign-in form is shown over the chats after the session ended. */
  @state() private reauthenticating = false;
  @state() private toast = '';
  /** The sign-up and mail link screens have loaded (./auth-views.ts). */
  @state() private authViewsLoaded = false;
  private readonly lastSignedIn = new LastSignedIn();

  constructor() {
    super();
    new SessionController(this, () => this.session);
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('storage', this.onStorage);
    navigator.serviceWorker?.addEventListener('message', this.onWorkerMessage);
    void this.boot();
  }

  override disconnectedCallback() {
    window.removeEventListener('popstate', this.onPopState);
    window.removeEventListener('storage', this.onStorage);
    navigator.serviceWorker?.removeEventListener('message', this.onWorkerMessage);
    super.disconnectedCallback();
  }

  protected override willUpdate(_changed: PropertyValues<this>) {
    if (!this.authViewsLoaded && this.needsAuthViews()) void this.ensureAuthViews();
  }

  /** Whether a screen of ./auth-views.ts is shown. */
  private needsAuthViews(): boolean {
    if (isMailLinkRoute(this.route)) return true;
    return !this.booting && !this.session && this.authView !== 'sign-in';
  }

  private async ensureAuthViews(): Promise<void> {
    try {
      await loadAuthViews();
      this.authViewsLoaded = true;
    } catch (error) {
      console.warn('Loading the sign-up screens failed', error);
      this.toast = loadFailed();
    }
  }

  override render() {
    return html`${this.renderScreen()}${
      this.toast ? html`<p class="toast error" role="alert" @click=${() => (this.toast = '')}>${this.toast}</p>` : null
    }`;
  }

  private renderScreen() {
    if (isMailLinkRoute(this.route) && !this.authViewsLoaded) return loading();
    if (this.route.kind === 'confirm-email' || this.route.kind === 'revert-email') {
      const purpose = this.route.kind === 'confirm-email' ? 'confirm' : 'revert';
      return html`<email-confirm-view class="screen" role="main" .token=${this.route.token} .purpose=${purpose}
        @show-sign-in=${this.leaveMailLink}></email-confirm-view>`;
    }
    if (this.route.kind === 'activate') {
      return html`<activation-view class="screen" role="main" .token=${this.route.token} .joinCode=${this.route.join}
        @signed-in=${this.signedIn} @leave-activation=${this.leaveActivation} @show-sign-in=${this.leaveMailLink}></activation-view>`;
    }
    if (this.route.kind === 'reset') {
      return html`<reset-password-view class="screen" role="main" .token=${this.route.token} @show-sign-in=${this.leaveReset}></reset-password-view>`;
    }
    if (this.booting) return loading();
    if (!this.session) return this.renderAuth();
    const ended = this.apiUnauthenticated || this.session.sessionEnded();
    return html`
      ${
        ended && !this.reauthenticating
          ? html`<div class="ended" role="alert" data-testid="session-ended">
            <span>${msg('Your session has ended.')}</span>
            <button type="button" @click=${() => (this.reauthenticating = true)}>${msg('Sign in again')}</button>
          </div>`
          : null
      }
      <chat-home
        .conversationId=${this.route.kind === 'conversation' ? this.route.id : undefined}
        .joinCode=${this.route.kind === 'join' ? this.route.code : undefined}
        @open-conversation=${this.openConversation} @close-conversation=${this.closeConversation}
        @close-join=${this.closeJoin}
        @sign-out=${this.signOut} @session-expired=${this.sessionExpired} @account-deleted=${this.accountDeleted}></chat-home>
      ${
        this.reauthenticating
          ? html`<div class="overlay">
            <sign-in-form reauth .email=${this.session.me.email} .notice=${sessionEndedNotice()}
              @signed-in=${this.signedIn} @sign-in-cancel=${() => (this.reauthenticating = false)}></sign-in-form>
          </div>`
          : null
      }
    `;
  }

  private renderAuth() {
    if (this.authView !== 'sign-in' && !this.authViewsLoaded) return loading();
    switch (this.authView) {
      case 'sign-up':
        return html`<sign-up-form class="screen" role="main" .inviteCode=${this.route.kind === 'join' ? this.route.code : undefined}
          @signed-up=${this.signedUp} @show-sign-in=${this.showSignIn}></sign-up-form>`;
      case 'check-mail':
        return html`<check-mail-view class="screen" role="main" .email=${this.authEmail} @show-sign-in=${this.showSignIn}></check-mail-view>`;
      case 'sign-in':
        return html`<sign-in-form class="screen" role="main" .email=${this.authEmail} @signed-in=${this.signedIn}
          @show-sign-up=${() => (this.authView = 'sign-up')}></sign-in-form>`;
    }
  }

  private async boot() {
    // Someone was signed in here: their conversations' pane loads while we ask the server.
    const previous = this.lastSignedIn.lastMe();
    if (previous) void loadConversationPane().catch(() => undefined);
    // The session's shared socket opens while the server is asked who is signed in (issue 12's cold first sign-in),
    // when the page holds the signed-in marker cookie (a signed-out visitor opens none).
    const sync = appSyncOptions();
    sync.mux?.openEarly();
    // `previous` is read before the server's answer, which remembers who is signed in now.
    const boot = await resolveBootState(api, this.lastSignedIn);
    if (boot.kind === 'signed-in') await this.startSession(boot.me, previous, sync);
    else {
      sync.mux?.destroy();
      this.authEmail = this.lastSignedIn.lastMe()?.email ?? '';
    }
    this.booting = false;
  }

  /** `last`: who was signed in on this device before (null: nobody, or they signed out and their data went with them). */
  private async startSession(me: Me, last: Me | null = this.lastSignedIn.lastMe(), sync: DocConnectionOptions = appSyncOptions()) {
    // Someone else used this device before: their chats must not stay here.
    if (last && last.id !== me.id) await deleteLocalDataOf(last.id);
    this.lastSignedIn.remember(me);
    // One shared socket for all of this session's documents (issue 12).
    const documents = new OpenDocuments(sync);
    const pendingIndex = new PendingIndex(me.id);
    // Their first sign-in here: no local copy of their own document to wait for before subscribing (issue 12's cold first sign-in).
    const firstOnThisDevice = last?.id !== me.id;
    this.session = new ChatSession(me, documents, pendingIndex, undefined, undefined, undefined, { firstOnThisDevice });
    // Conversations with new activity are synced for offline reading once the list is (issue 12).
    if (backgroundSyncWanted()) startBackgroundSync(this.session);
    this.apiUnauthenticated = false;
    this.reauthenticating = false;
  }

  /** An API call answered 401: nothing may sync until the person signs in again. */
  private readonly sessionExpired = () => {
    this.apiUnauthenticated = true;
    this.session?.endSession();
  };

  private readonly signedIn = async (event: CustomEvent<SignedInDetail>) => {
    const me = event.detail.me;
    const current = this.session;
    if (current && current.me.id === me.id) {
      this.lastSignedIn.remember(me);
      current.resume();
      this.apiUnauthenticated = false;
      this.reauthenticating = false;
      return;
    }
    if (current) {
      await current.closeAndDeleteLocalData();
      this.session = undefined;
    }
    await this.startSession(me);
  };

  private signedUp(event: CustomEvent<SignedUpDetail>) {
    this.authEmail = event.detail.email;
    this.authView = 'check-mail';
  }

  private showSignIn() {
    this.authView = 'sign-in';
  }

  /** From the activation or reset link to the app (the sign-in screen when nobody is signed in). */
  private leaveMailLink() {
    this.authView = 'sign-in';
    this.navigate({ kind: 'home' }, 'replace');
  }

  /** Activated and signed in: on to the invite they signed up from, or to their chats. */
  private leaveActivation(event: CustomEvent<LeaveActivationDetail>) {
    const joinCode = event.detail.joinCode;
    this.navigate(joinCode ? { kind: 'join', code: joinCode } : { kind: 'home' }, 'replace');
  }

  /**
   * A reset ends every session of that person on the server. If it was the one
   * signed in here, ask them to sign in again over their chats (unsent messages are kept).
   */
  private readonly leaveReset = async () => {
    this.leaveMailLink();
    if (!this.session) return;
    const me = await api.me();
    if (me.status === 401) {
      this.sessionExpired();
      this.reauthenticating = true;
    }
  };

  /** A notification was clicked (client/sw-push.ts): open its conversation here, without a reload. */
  private readonly onWorkerMessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (!data || typeof data !== 'object') return;
    const { type, conversationId } = data as { type?: unknown; conversationId?: unknown };
    if (type !== 'open-conversation' || typeof conversationId !== 'string' || !isValidId(conversationId) || !this.session) return;
    if (this.route.kind === 'conversation' && this.route.id === conversationId) return;
    this.navigate({ kind: 'conversation', id: conversationId }, this.route.kind === 'home' ? 'push' : 'replace');
  };

  private openConversation(event: CustomEvent<OpenConversationDetail>) {
    const id = event.detail.id;
    if (this.route.kind === 'conversation' && this.route.id === id) return;
    // From one conversation (or an invite link) to another: replace, so Back always leads to the list.
    this.navigate({ kind: 'conversation', id }, this.route.kind === 'home' ? 'push' : 'replace');
  }

  private closeJoin() {
    if (this.route.kind === 'join') this.navigate({ kind: 'home' }, 'replace');
  }

  private closeConversation() {
    const state: unknown = history.state;
    if (state && typeof state === 'object' && (state as { fromList?: unknown }).fromList === true) history.back();
    else this.navigate({ kind: 'home' }, 'replace');
  }

  private readonly signOut = async () => {
    const session = this.session;
    if (!session) return;
    const pending = session.pendingCount() + session.failedCount();
    if (
      pending > 0 &&
      !window.confirm(`${pending} message(s) are not sent yet. Signing out deletes them from this device. Sign out anyway?`)
    ) {
      return;
    }
    const result = await api.logout();
    if (!result.ok && result.status !== 401) {
      this.toast = result.status === 0 ? msg('You are offline. Signing out needs the network.') : result.error.message;
      return;
    }
    await this.forgetThisDevice(session);
  };

  /** The account is gone on the server (account settings): nothing of it may stay on this device either. */
  private readonly accountDeleted = async () => {
    const session = this.session;
    if (!session) return;
    await this.forgetThisDevice(session);
    this.toast = msg('Your account was deleted.');
  };

  /** After signing out or deleting the account: this device keeps nothing of the person, and shows the sign-in. */
  private async forgetThisDevice(session: ChatSession): Promise<void> {
    this.lastSignedIn.forget();
    // The server dropped this session's push devices; the browser's subscription goes too.
    void push.forgetDevice().catch((error: unknown) => console.warn('Unsubscribing from notifications failed', error));
    // Deleted before anyone can sign in again, so a new session never meets half-deleted databases.
    await session.closeAndDeleteLocalData();
    this.session = undefined;
    this.authView = 'sign-in';
    this.authEmail = '';
    this.navigate({ kind: 'home' }, 'replace');
  }

  private navigate(route: Route, mode: 'push' | 'replace') {
    const path = routePath(route);
    if (mode === 'push') history.pushState({ fromList: route.kind === 'conversation' }, '', path);
    else history.replaceState({}, '', path);
    this.route = route;
  }

  private readonly onPopState = () => {
    this.route = parseRoute(window.location);
  };

  /** Another tab signed out or in as someone else: start over with the stored state. */
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key !== LastSignedIn.key || !this.session) return;
    const next = this.lastSignedIn.lastMe();
    if (!next || next.id !== this.session.me.id) window.location.reload();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-app': ChatApp;
  }
}
