/**
 * One open document: a Y.Doc kept in IndexedDB and synced with the relay,
 * over a socket of its own (`/sync/<doc>`) or over the tab's shared one
 * (`mux` option; doc-transport.ts). It loads the local copy first and only
 * then connects, so the first sync exchanges just the difference (and the
 * relay never receives our whole local state as if it were a new edit).
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { SYNC_PATH } from '../../../shared/protocol.js';
import { deleteDatabase } from './local-data.js';
import { type DocTransport, websocketTransport } from './doc-transport.js';
import type { MuxProvider } from './mux-provider.js';
import {
  initialConnectionState,
  isRefused,
  isWaitCode,
  nextConnectionState,
  retryDelayAfterWait,
  shouldReconnectAfter,
  WAIT_MAX_DELAY_MS,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state.js';
import { settledWithin } from './settled-within.js';

export interface DocConnectionOptions {
  /** e.g. `wss://chat.example/sync`; the provider appends `/<docName>`. */
  wsBase: string;
  /** Keep the document in IndexedDB (default true). */
  persist?: boolean;
  /** For Node tests, which have no global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Connect anyway if IndexedDB has not answered by then. */
  localLoadTimeoutMs?: number;
  /**
   * Stop for good when the relay refuses what this document sent (4400),
   * instead of handing the same change over again on every reconnect.
   */
  stopOnRefusal?: boolean;
  /**
   * Subscribe at once instead of after IndexedDB answered: for a document this
   * device never held (an older history segment scrolled back to for the first
   * time), whose local copy is empty, so the relay's answer is the same either
   * way and the database's opening (tens of ms, ~100 under load) is off the
   * person's wait. Whatever arrives first is stored when the database opens
   * (y-indexeddb writes the document's whole state then).
   */
  connectAtOnce?: boolean;
  /** The tab's shared socket (`/mux`); without it, the document opens a socket of its own on `wsBase`. */
  mux?: MuxProvider;
}

/** The relay's URL for this page: same host, ws or wss like the page. */
export function defaultWsBase(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + SYNC_PATH;
}

const MAX_BACKOFF_MS = 5000;

export class DocConnection extends EventTarget {
  readonly doc = new Y.Doc();
  readonly provider: DocTransport;
  /** Resolves once the local copy is in `doc` (or IndexedDB gave up). */
  readonly whenLocalLoaded: Promise<void>;
  private readonly persistence: IndexeddbPersistence | null;
  private connectionState: ConnectionState = initialConnectionState;
  private destroyed = false;
  /** The reconnect after a wait code (4413, 4507), while it is scheduled. */
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** Wait closes in a row: each waits longer. A socket that stayed open longer than the longest wait starts a new streak. */
  private waitStreak = 0;
  private openedAt = 0;

  constructor(
    readonly name: string,
    options: DocConnectionOptions,
  ) {
    super();
    this.persistence = options.persist === false ? null : new IndexeddbPersistence(name, this.doc);
    const stopOnRefusal = options.stopOnRefusal ?? false;
    const shouldReconnect = (event: { code: number }) => shouldReconnectAfter(event, stopOnRefusal);
    // After a wait code the transport stands down and `waitThenReconnect` comes back later.
    const transportReconnects = (event: { code: number }) => shouldReconnect(event) && !isWaitCode(event.code);
    this.provider = options.mux
      ? options.mux.open(name, this.doc, { shouldReconnect: transportReconnects })
      : websocketTransport(
          new WebsocketProvider(options.wsBase, name, this.doc, {
            connect: false,
            shouldReconnect: transportReconnects,
            maxBackoffTime: MAX_BACKOFF_MS,
            ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
          }),
        );
    this.provider.listen({
      status: (status) => {
        if (status === 'connecting') this.apply({ type: 'connecting' });
        else if (status === 'connected') {
          this.openedAt = Date.now();
          this.apply({ type: 'connected' });
        }
      },
      synced: () => this.apply({ type: 'synced' }),
      closed: (event) => {
        if (!event) this.apply({ type: 'closed', code: null });
        else {
          this.apply({ type: 'closed', code: event.code, reason: event.reason, final: !shouldReconnect(event) });
          if (!isWaitCode(event.code) || Date.now() - this.openedAt > WAIT_MAX_DELAY_MS) this.waitStreak = 0;
          if (isWaitCode(event.code)) this.waitThenReconnect();
        }
      },
    });
    if (options.connectAtOnce) this.provider.connect();
    this.whenLocalLoaded = this.loadLocal(options.localLoadTimeoutMs ?? 3000);
    void this.whenLocalLoaded.then(() => {
      if (this.destroyed) return;
      this.apply({ type: 'local-loaded' });
      // Held before the local copy was loaded (e.g. a conversation the relay refused last time).
      if (this.state.phase !== 'stopped') this.provider.connect();
    });
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  /**
   * Resolves once the relay's state has arrived (at once if it has); rejects
   * if the relay stops the document first, or after `timeoutMs` when given.
   * Offline it waits: a caller with something else to read races it.
   */
  firstSynced({ timeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const state = this.state;
        if (state.synced) finish();
        else if (state.phase === 'stopped') finish(new Error(`stopped with ${state.stopCode}`));
      };
      const timer =
        timeoutMs === undefined ? undefined : setTimeout(() => finish(new Error(`not synced after ${timeoutMs} ms`)), timeoutMs);
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.removeEventListener('change', check);
        if (error) reject(error);
        else resolve();
      };
      this.addEventListener('change', check);
      check();
    });
  }

  /** Try now instead of waiting for the backoff (network came back, tab became visible). */
  reconnectNow(): void {
    // Not while the relay asked us to wait: the network coming back changes nothing there.
    if (this.destroyed || !this.state.localLoaded || this.state.phase === 'stopped' || this.waitTimer !== undefined) return;
    if (this.provider.connected) return;
    this.provider.resetBackoff();
    this.provider.connect();
  }

  /** The browser says the network is gone: drop a socket that may look open but is dead. */
  dropSocket(): void {
    if (this.destroyed || this.state.phase === 'stopped' || !this.provider.wantsConnection) return;
    this.provider.dropSocket();
  }

  /**
   * Stops without waiting for the relay to say so: the session ended on another
   * connection (nothing may reconnect until the person signs in again, maybe as
   * someone else), or the document holds a change the relay refused before.
   */
  hold(code: number, reason = ''): void {
    if (this.destroyed || this.state.phase === 'stopped') return;
    this.cancelWait();
    this.apply({ type: 'held', code, reason });
    this.provider.disconnect();
  }

  /**
   * After the person signed in again: connections stopped by the relay may try
   * again. Not one whose change the relay refused: that would only send it again.
   */
  resume(): void {
    if (this.destroyed || this.state.phase !== 'stopped' || isRefused(this.state)) return;
    this.apply({ type: 'resumed' });
    this.provider.resetBackoff();
    if (this.state.localLoaded) this.provider.connect();
  }

  /** Closes the socket and the local database; resolves when the database is closed. */
  destroy(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    this.destroyed = true;
    this.cancelWait();
    this.provider.destroy();
    this.provider.awareness.destroy();
    const closed = this.persistence ? this.persistence.destroy().then(() => undefined) : Promise.resolve();
    this.doc.destroy();
    return closed;
  }

  /** Closes the document and deletes its local copy. */
  async destroyAndClear(): Promise<void> {
    await this.destroy();
    if (this.persistence) await deleteDatabase(this.name);
  }

  /**
   * The relay stored nothing and asked us to come back later (quota, full
   * disk): reconnect after a growing delay. Everything unsent stays in the
   * document, and the next sync hands it over.
   */
  private waitThenReconnect(): void {
    this.cancelWait();
    const delay = retryDelayAfterWait(this.waitStreak++);
    this.waitTimer = setTimeout(() => {
      this.waitTimer = undefined;
      if (this.destroyed || this.state.phase === 'stopped') return;
      this.provider.connect();
    }, delay);
  }

  private cancelWait(): void {
    if (this.waitTimer === undefined) return;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
  }

  private apply(event: ConnectionEvent): void {
    const next = nextConnectionState(this.connectionState, event);
    if (next === this.connectionState) return;
    this.connectionState = next;
    this.dispatchEvent(new Event('change'));
  }

  private loadLocal(timeoutMs: number): Promise<void> {
    if (!this.persistence) return Promise.resolve();
    const loaded = this.persistence.whenSynced.then(
      () => undefined,
      (error: unknown) => console.warn(`Could not load ${this.name} from IndexedDB`, error),
    );
    return settledWithin(loaded, timeoutMs);
  }
}
