/**
 * How one document reaches the relay, as `DocConnection` sees it: either a
 * stock y-websocket provider with a socket of its own (`/sync/<doc>`, the
 * widget's and third parties' way, and the app's before issue 12), or one
 * document of the tab's shared multiplexed socket (`mux-document.ts`). Both
 * report the same events, so the connection state, refusal recovery and
 * wait codes work the same over either.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';

export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

/** A close as the relay sent it; null when this side closed (disconnect, watchdog). */
export type TransportClose = { code: number; reason: string } | null;

export interface TransportListener {
  status(status: TransportStatus): void;
  /** The relay's state has arrived (its sync step 2). */
  synced(): void;
  closed(event: TransportClose): void;
}

export interface DocTransport {
  readonly awareness: Awareness;
  /** Something is open or opening for this document (tests: a reconnect cannot hide from this). */
  readonly ws: object | null;
  /** The document is connected to the relay now. */
  readonly connected: boolean;
  /** It means to be connected (false after `disconnect`, or after a close it should not retry). */
  readonly wantsConnection: boolean;
  connect(): void;
  disconnect(): void;
  /** The browser says the network is gone: drop what may look open but is dead, then connect again. */
  dropSocket(): void;
  /** Forgets the failed attempts, so the next one comes without backoff. */
  resetBackoff(): void;
  destroy(): void;
  listen(listener: TransportListener): void;
}

/** A stock y-websocket provider as a `DocTransport`. */
export function websocketTransport(provider: WebsocketProvider): DocTransport {
  return {
    awareness: provider.awareness,
    get ws() {
      return provider.ws;
    },
    get connected() {
      return provider.wsconnected;
    },
    get wantsConnection() {
      return provider.shouldConnect;
    },
    connect: () => provider.connect(),
    disconnect: () => provider.disconnect(),
    dropSocket() {
      provider.disconnect();
      provider.connect();
    },
    resetBackoff() {
      provider.wsUnsuccessfulReconnects = 0;
    },
    destroy: () => provider.destroy(),
    listen(listener) {
      provider.on('status', ({ status }) => listener.status(status));
      provider.on('sync', (synced) => {
        if (synced) listener.synced();
      });
      provider.on('connection-close', (event) => listener.closed(event ? { code: event.code, reason: event.reason } : null));
    },
  };
}
