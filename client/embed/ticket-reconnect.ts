/**
 * Reconnecting a widget visitor's sync socket. The visitor has no cookie: each
 * WebSocket needs a fresh single-use ticket (`POST /api/widget/ticket`, 30 s),
 * so y-websocket may not reconnect on its own (it would reuse the spent
 * ticket). The provider is created with `shouldReconnect: () => false`; on
 * every close this fetches a new ticket and connects again, with backoff and
 * jitter, at once when the network returns, and not at all after a permanent
 * refusal.
 */
import { CloseCode } from '../../shared/protocol.js';
import { REFUSAL_CLOSE_CODES } from '../data/sync/connection-state.js';

/** The parts of y-websocket's `WebsocketProvider` this uses. */
export interface TicketedProvider {
  params: Record<string, string>;
  shouldConnect: boolean;
  wsconnected: boolean;
  ws: unknown;
  connect(): void;
  disconnect(): void;
  on(event: 'connection-close', listener: (event: { code: number; reason: string } | null) => void): void;
  on(event: 'sync', listener: (synced: boolean) => void): void;
  off(event: 'connection-close', listener: (event: { code: number; reason: string } | null) => void): void;
  off(event: 'sync', listener: (synced: boolean) => void): void;
}

export type TicketAnswer = { ok: true; ticket: string } | { ok: false; status: number };

export interface TicketReconnectOptions {
  provider: TicketedProvider;
  fetchTicket(): Promise<TicketAnswer>;
  /** The visitor token no longer gets tickets (401/403): the session must be checked again. */
  onTokenRefused(status: number): void;
  /** The relay refused for good: 4403 (blocked, not a member), 4400 or 1009 (a change it will never take). */
  onStopped(code: number, reason: string): void;
  isOnline?(): boolean;
  random?(): number;
  setTimer?(run: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Close codes after which trying again cannot help. A 4401 only means the ticket was spent or late: get another. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.forbidden, ...REFUSAL_CLOSE_CODES]);

/** "Equal jitter": half the exponential ceiling, plus a random part of the other half. */
export function backoffDelay(attempt: number, random: number, baseMs = 500, maxMs = 15_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

export class TicketReconnect {
  private attempts = 0;
  private timer: unknown = null;
  private fetching = false;
  private running = false;
  private readonly provider: TicketedProvider;

  constructor(private readonly options: TicketReconnectOptions) {
    this.provider = options.provider;
    this.provider.on('connection-close', this.onClose);
    this.provider.on('sync', this.onSync);
  }

  /** Whether it is trying to stay connected (not stopped, not destroyed). */
  get active(): boolean {
    return this.running;
  }

  /** Starts connecting (again, after a stop). */
  start(): void {
    this.running = true;
    this.attempts = 0;
    void this.attempt();
  }

  /** Now, instead of after the backoff: the network came back or the page became visible. */
  now(): void {
    if (!this.running || this.provider.ws !== null) return;
    this.cancelTimer();
    this.attempts = 0;
    void this.attempt();
  }

  /** The browser says the network is gone: drop a socket that may look open but is dead; `now()` brings it back. */
  dropSocket(): void {
    if (this.running && this.provider.ws !== null) this.provider.disconnect();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer();
    this.provider.disconnect();
  }

  destroy(): void {
    this.stop();
    this.provider.off('connection-close', this.onClose);
    this.provider.off('sync', this.onSync);
  }

  private async attempt(): Promise<void> {
    if (!this.running || this.fetching || this.provider.ws !== null) return;
    // Offline: wait for `now()` on the 'online' event rather than burn attempts.
    if (this.options.isOnline && !this.options.isOnline()) return;
    this.fetching = true;
    const answer = await this.options.fetchTicket().catch((): TicketAnswer => ({ ok: false, status: 0 }));
    this.fetching = false;
    if (!this.running || this.provider.ws !== null) return;
    if (answer.ok) {
      this.provider.params = { ...this.provider.params, ticket: answer.ticket };
      this.provider.connect();
    } else if (answer.status === 401 || answer.status === 403) {
      this.running = false;
      this.options.onTokenRefused(answer.status);
    } else {
      this.schedule();
    }
  }

  private readonly onClose = (event: { code: number; reason: string } | null): void => {
    // After a close of its own (watchdog, disconnect) y-websocket would reconnect with the spent ticket.
    this.provider.shouldConnect = false;
    if (!this.running) return;
    if (event && FINAL_CLOSE_CODES.has(event.code)) {
      this.running = false;
      this.cancelTimer();
      this.options.onStopped(event.code, event.reason);
      return;
    }
    this.schedule();
  };

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.attempts = 0;
  };

  private schedule(): void {
    this.cancelTimer();
    const delay = backoffDelay(this.attempts++, (this.options.random ?? Math.random)(), this.options.baseDelayMs, this.options.maxDelayMs);
    const set = this.options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.timer = set(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    (this.options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
  }
}
