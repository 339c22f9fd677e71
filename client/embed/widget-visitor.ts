/**
 * The visitor's lifetime in the iframe: start or resume the session (the
 * stored one first, so the chat opens offline), open the conversation,
 * identify the visitor when the host asks, forget everything on `reset`, and
 * stop when the site blocks the visitor. Calls run one at a time, in order.
 */
import { checkMessage } from '../../shared/message-rules.js';
import { CloseCode } from '../../shared/protocol.js';
import type { WidgetUser } from '../../shared/widget-protocol.js';
import { REFUSAL_CLOSE_CODES } from '../data/sync/connection-state.js';
import type { TicketAnswer } from './ticket-reconnect.js';
import { backoffDelay } from './ticket-reconnect.js';
import type { VisitorApi } from './visitor-api.js';
import type { NetworkSignals, VisitorConversation } from './visitor-conversation.js';
import type { StoredVisitor, VisitorStore } from './visitor-store.js';

export type VisitorPhase =
  /** Waiting for the host page's hello. */
  | 'waiting'
  /** Asking the server for a first session. */
  | 'starting'
  /** First visit and no network: nothing to write into yet. */
  | 'offline'
  /** The conversation is open (synced or not). */
  | 'ready'
  | 'blocked'
  /** The host page's origin is not on the site's list. */
  | 'not-allowed'
  /** No such site, or the server keeps failing. */
  | 'unavailable';

export interface ConversationHooks {
  fetchTicket(): Promise<TicketAnswer>;
  onTokenRefused(status: number): void;
}

export interface WidgetVisitorOptions {
  site: string;
  api: VisitorApi;
  store: VisitorStore;
  openConversation(visitor: StoredVisitor, hooks: ConversationHooks): VisitorConversation;
  network?: NetworkSignals;
  isOnline?(): boolean;
  setTimer?(run: () => void, ms: number): unknown;
}

export class WidgetVisitor extends EventTarget {
  private currentPhase: VisitorPhase = 'waiting';
  private open: VisitorConversation | null = null;
  private stored: StoredVisitor | null = null;
  private hostOrigin: string | null = null;
  private user: WidgetUser | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Something waits for the network: a session check, an identify. */
  private retryOnline = false;
  private failures = 0;
  /** After the host's `reset`: ask the server for a new visitor, whatever token or cookie we still have. */
  private startFresh = false;
  private retryTimer = false;
  /** A copy the relay refused was dropped and synced afresh once already (a second refusal stays stopped). */
  private resynced = false;

  constructor(private readonly options: WidgetVisitorOptions) {
    super();
    options.network?.addEventListener('online', this.onOnline);
  }

  get phase(): VisitorPhase {
    return this.currentPhase;
  }

  get conversation(): VisitorConversation | null {
    return this.open;
  }

  get visitor(): StoredVisitor | null {
    return this.stored;
  }

  /** The host page said hello from `hostOrigin` (verified by the browser): start. */
  hello(hostOrigin: string): void {
    if (this.hostOrigin !== null) return;
    this.hostOrigin = hostOrigin;
    this.enqueue(() => this.start());
  }

  /** The host's user signed out: forget the token and the local copy, and start as a new visitor. */
  reset(): void {
    this.user = null;
    this.startFresh = true;
    this.enqueue(async () => {
      await this.closeConversation(true);
      this.options.store.clear(this.options.site);
      this.stored = null;
      if (this.hostOrigin !== null) await this.start();
    });
  }

  setUser(user: WidgetUser): void {
    this.user = user;
    this.enqueue(() => this.identify());
  }

  /** Waits for everything asked so far (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  async destroy(): Promise<void> {
    this.options.network?.removeEventListener('online', this.onOnline);
    await this.queue;
    await this.closeConversation(false);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => console.error('Happy Chat widget:', error));
  }

  private async start(): Promise<void> {
    const stored = this.options.store.load(this.options.site);
    this.stored = stored;
    if (stored?.blocked) this.setPhase('blocked');
    else if (stored) {
      this.openConversation(stored);
      this.setPhase('ready');
    } else this.setPhase('starting');
    await this.check();
  }

  /** Asks the server for the session, resuming with the stored token. */
  private async check(): Promise<void> {
    if (this.hostOrigin === null) return;
    const { site, api, store } = this.options;
    const before = store.load(site);
    const answer = await api.session(site, this.hostOrigin, before?.token, this.startFresh);
    if (answer.ok) {
      this.failures = 0;
      this.startFresh = false;
      const session = answer.value;
      const sameVisitor = before?.guestId === session.guest.id;
      const next: StoredVisitor = {
        token: session.token,
        guestId: session.guest.id,
        guestName: session.guest.name,
        conversationId: session.conversationId,
        site: session.site,
        ...(sameVisitor && before?.identified ? { identified: before.identified } : {}),
      };
      store.save(site, next);
      this.stored = next;
      // The old token was unknown here (e.g. the site was deleted and made again): the old copy is someone else's.
      if (this.open && this.open.conversationId !== next.conversationId) await this.closeConversation(true);
      if (this.open) this.open.resume();
      else this.openConversation(next);
      this.setPhase('ready');
      await this.identify();
      return;
    }
    const { status, error } = answer;
    if (status === 403 && error.error === 'blocked') {
      if (before) store.save(site, { ...before, blocked: true });
      this.stored = store.load(site);
      await this.closeConversation(false);
      this.setPhase('blocked');
    } else if (status === 403) {
      await this.closeConversation(false);
      this.setPhase('not-allowed');
    } else if (status === 404) {
      await this.closeConversation(false);
      this.setPhase('unavailable');
    } else {
      // No network, rate limited or the server is down: the local copy keeps working; try again later.
      if (!this.open) this.setPhase(status === 0 ? 'offline' : 'starting');
      this.retryLater();
    }
  }

  private async identify(): Promise<void> {
    const user = this.user;
    const stored = this.stored;
    if (!user || !stored || this.currentPhase !== 'ready') return;
    const claim = JSON.stringify(user);
    if (stored.identified === claim) return;
    const answer = await this.options.api.identify(stored.token, user);
    if (answer.ok) {
      this.stored = { ...stored, identified: claim };
      this.options.store.save(this.options.site, this.stored);
    } else if (answer.status === 0 || answer.status >= 500 || answer.status === 429) {
      this.retryLater();
    } else {
      console.warn('Happy Chat widget: the visitor could not be identified', answer.error.message);
    }
  }

  private openConversation(visitor: StoredVisitor): void {
    const conversation = this.options.openConversation(visitor, {
      fetchTicket: async () => {
        const token = this.stored?.token;
        if (!token) return { ok: false, status: 401 };
        const answer = await this.options.api.ticket(token);
        return answer.ok ? { ok: true, ticket: answer.value.ticket } : { ok: false, status: answer.status };
      },
      // The token got no ticket: blocked, or unknown. The session check says which.
      onTokenRefused: () => this.enqueue(() => this.check()),
    });
    let handled = false;
    conversation.addEventListener('change', () => {
      const stop = conversation.stopped;
      if (!stop || handled || this.open !== conversation) return;
      handled = true;
      // Cut off by the site while connected: the session check confirms and shows it.
      if (stop.code === CloseCode.forbidden) this.enqueue(() => this.check());
      else if (REFUSAL_CLOSE_CODES.has(stop.code) && !this.resynced) this.enqueue(() => this.resync(conversation));
    });
    this.open = conversation;
    this.changed();
  }

  /**
   * The relay refused a change this copy holds and would refuse it on every
   * reconnect: drop the copy, sync afresh, and write my unsent messages that
   * keep the rules again (once per page; the app does the same, with more care).
   */
  private async resync(refused: VisitorConversation): Promise<void> {
    const stored = this.stored;
    if (this.open !== refused || !stored) return;
    this.resynced = true;
    const unsent = refused.unsentMessages().filter((message) => checkMessage(message.id, message, stored.guestId) === null);
    await this.closeConversation(true);
    this.openConversation(stored);
    this.open?.writeAgain(unsent);
  }

  private async closeConversation(clear: boolean): Promise<void> {
    const conversation = this.open;
    if (!conversation) return;
    this.open = null;
    this.changed();
    await (clear ? conversation.destroyAndClear() : conversation.destroy());
  }

  private retryLater(): void {
    this.retryOnline = true;
    if (this.retryTimer) return;
    this.retryTimer = true;
    const set = this.options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    set(
      () => {
        this.retryTimer = false;
        this.onOnline();
      },
      backoffDelay(this.failures++, Math.random(), 2000, 60_000),
    );
  }

  private readonly onOnline = (): void => {
    if (!this.retryOnline) return;
    if (this.options.isOnline && !this.options.isOnline()) return;
    this.retryOnline = false;
    // A session check also sends a pending identify.
    this.enqueue(() => this.check());
  };

  private setPhase(phase: VisitorPhase): void {
    if (this.currentPhase === phase) return;
    this.currentPhase = phase;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
