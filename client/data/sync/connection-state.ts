/**
 * The sync state of one document connection, as a pure reducer over the
 * provider's events, and the summary the header shows for all of them.
 * Kept free of Yjs and the DOM so the rules are tested on their own.
 */
import { msg, str } from '@lit/localize';
import { CloseCode, PERMANENT_CLOSE_CODES } from '../../../shared/protocol.js';
import { closeCodeText } from './close-code-text.js';

export type ConnectionPhase = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** The server's state has been received since the socket opened. */
  synced: boolean;
  /** Consecutive closes without a successful sync (y-websocket counts the same way). */
  failedAttempts: number;
  /** The close code that stopped this connection for good, while `phase` is 'stopped'. */
  stopCode: number | null;
  /** The relay's close reason that came with `stopCode` (e.g. `refused: author`), or ''. */
  stopReason: string;
  /** The document has been loaded from IndexedDB (or that was given up on). */
  localLoaded: boolean;
  /**
   * The relay closed with a wait code (4413, 4507): it stored nothing and asks
   * this device to come back later. Kept until the next sync.
   */
  waitCode: number | null;
}

export type ConnectionEvent =
  | { type: 'local-loaded' }
  | { type: 'connecting' }
  | { type: 'connected' }
  | { type: 'synced' }
  /**
   * `code` is null when we closed the socket ourselves (disconnect, watchdog).
   * `final` is the connection's own stop rule; by default `shouldReconnectAfter`'s.
   */
  | { type: 'closed'; code: number | null; reason?: string; final?: boolean }
  /** Stopped without a close from the relay (e.g. the session ended on another connection). */
  | { type: 'held'; code: number; reason?: string }
  /** The person acted (signed in again): a stopped connection may try again. */
  | { type: 'resumed' };

export const initialConnectionState: ConnectionState = {
  phase: 'connecting',
  synced: false,
  failedAttempts: 0,
  stopCode: null,
  stopReason: '',
  localLoaded: false,
  waitCode: null,
};

/**
 * The relay closes with this when a frame is over its size limit: a sync step
 * 2 (the offline backlog) over 16 MiB, or any other frame over 1 MiB. A stock
 * provider would resend the same frame forever, so it counts as a refusal;
 * "Retry" sends the unsent messages one per frame (docs/PROTOCOL.md).
 */
export const MESSAGE_TOO_BIG = 1009;

/**
 * The relay will never take a change this replica holds: reconnecting would
 * hand it over again and be refused again, forever.
 */
export const REFUSAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.invalidUpdate, MESSAGE_TOO_BIG]);

/**
 * Close codes after which the relay stored nothing but nothing is wrong with
 * the change either: the person's write quota or the conversation's budget is
 * used up (4413), or the server's disk is full (4507). The device keeps every
 * unsent message (pending, not failed) and comes back after a backoff of its
 * own: the stock provider would reconnect ~100 ms after a socket that opened.
 */
export const WAIT_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.quotaExceeded, CloseCode.storageUnavailable]);

export function isWaitCode(code: number | null): boolean {
  return code !== null && WAIT_CLOSE_CODES.has(code);
}

/** First wait after a wait code; not below the provider's own longest backoff, so its pending retry never comes first. */
export const WAIT_MIN_DELAY_MS = 5_000;
export const WAIT_MAX_DELAY_MS = 60_000;

/**
 * How long to wait after the `streak`-th wait close in a row (from 0): doubling
 * from WAIT_MIN_DELAY_MS up to WAIT_MAX_DELAY_MS, plus up to a quarter more at
 * random so the devices a full disk turned away do not all come back at once.
 */
export function retryDelayAfterWait(streak: number, random: () => number = Math.random): number {
  const base = Math.min(WAIT_MIN_DELAY_MS * 2 ** Math.min(streak, 16), WAIT_MAX_DELAY_MS);
  return Math.round(base * (1 + random() / 4));
}

/**
 * The provider's `shouldReconnect`: stop where reconnecting cannot help until
 * the person acts. Documents we write into (conversations) also stop when the
 * relay refused what they sent; the client never writes its `user/<id>`
 * document, so a refusal there is a transient fault and is retried.
 */
export function shouldReconnectAfter(event: { code: number }, stopOnRefusal = false): boolean {
  if (PERMANENT_CLOSE_CODES.has(event.code)) return false;
  return !(stopOnRefusal && REFUSAL_CLOSE_CODES.has(event.code));
}

/** Whether a stopped connection stopped because the relay refused a change it sent. */
export function isRefused(state: ConnectionState): boolean {
  return state.phase === 'stopped' && state.stopCode !== null && REFUSAL_CLOSE_CODES.has(state.stopCode);
}

export function nextConnectionState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'local-loaded':
      return { ...state, localLoaded: true };
    case 'connecting':
      if (state.phase === 'stopped') return state;
      return { ...state, phase: 'connecting', synced: false };
    case 'connected':
      if (state.phase === 'stopped') return state;
      return { ...state, phase: 'connected', synced: false };
    case 'synced':
      if (state.phase !== 'connected') return state;
      return { ...state, synced: true, failedAttempts: 0, waitCode: null };
    case 'closed': {
      if (state.phase === 'stopped') return state;
      const failedAttempts = state.failedAttempts + 1;
      const final = event.code !== null && (event.final ?? !shouldReconnectAfter({ code: event.code }));
      if (final && event.code !== null) {
        return {
          ...state,
          phase: 'stopped',
          synced: false,
          failedAttempts,
          stopCode: event.code,
          stopReason: event.reason ?? '',
          waitCode: null,
        };
      }
      return {
        ...state,
        phase: 'disconnected',
        synced: false,
        failedAttempts,
        waitCode: isWaitCode(event.code) ? event.code : state.waitCode,
      };
    }
    case 'held':
      if (state.phase === 'stopped') return state;
      return { ...state, phase: 'stopped', synced: false, stopCode: event.code, stopReason: event.reason ?? '', waitCode: null };
    case 'resumed':
      if (state.phase !== 'stopped') return state;
      return { ...state, phase: 'connecting', stopCode: null, stopReason: '', failedAttempts: 0 };
  }
}

export type SyncStatus = 'online' | 'connecting' | 'waiting' | 'offline' | 'session-ended';

export interface SyncSummary {
  status: SyncStatus;
  /** My messages not yet sequenced by the server, across open conversations. */
  pending: number;
  /** My messages the relay refused, waiting for the person to retry or discard them. */
  failed: number;
  /** What the header shows, e.g. "Offline · 2 pending". */
  label: string;
  /** Why it is waiting (`closeCodeText` of the relay's wait code), while `status` is 'waiting'. */
  notice?: string;
}

/** After this many failed attempts in a row we say "offline" rather than "connecting". */
export const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;

const STATUS_LABELS = (): Record<SyncStatus, string> => ({
  online: msg('Online'),
  connecting: msg('Connecting…'),
  waiting: msg('Waiting'),
  offline: msg('Offline'),
  'session-ended': msg('Session ended'),
});

/** One status for the whole app from every open connection. */
export function summarizeSync(
  states: readonly ConnectionState[],
  context: { browserOnline: boolean; pending: number; failed?: number },
): SyncSummary {
  const status = overallStatus(states, context.browserOnline);
  const pending = Math.max(0, context.pending);
  const failed = Math.max(0, context.failed ?? 0);
  let label = STATUS_LABELS()[status];
  if (pending > 0) label += ` · ${msg(str`${pending} pending`)}`;
  if (failed > 0) label += ` · ${msg(str`${failed} not sent`)}`;
  const waitCode = status === 'waiting' ? states.find((s) => s.phase !== 'stopped' && isWaitCode(s.waitCode))?.waitCode : null;
  return { status, pending, failed, label, ...(waitCode ? { notice: closeCodeText(waitCode) } : {}) };
}

function overallStatus(states: readonly ConnectionState[], browserOnline: boolean): SyncStatus {
  if (states.some((s) => s.phase === 'stopped' && s.stopCode === CloseCode.unauthenticated)) return 'session-ended';
  if (!browserOnline) return 'offline';
  // A conversation we may not open says so in its own view; it does not make the app look offline.
  const relevant = states.filter((s) => s.phase !== 'stopped');
  if (relevant.length === 0) return states.length === 0 ? 'connecting' : 'online';
  if (relevant.every((s) => s.phase === 'connected' && s.synced)) return 'online';
  // The relay asked us to wait (quota, full disk): reachable, so not "offline", and saying why.
  if (relevant.some((s) => isWaitCode(s.waitCode))) return 'waiting';
  const unreachable = relevant.some((s) => s.phase !== 'connected' && s.failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS);
  return unreachable ? 'offline' : 'connecting';
}
