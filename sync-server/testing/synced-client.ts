/**
 * Honest clients in Node: the stock y-websocket provider with the person's
 * cookie, as a browser tab would connect. Tests that must choose every byte
 * use raw-session.ts instead.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { RunningServer } from '../server.js';
import type { ServerAddress } from './server-address.js';
import type { TestUser } from './test-users.js';

/** A WebSocket class that sends the person's cookie, as a browser would. */
export function cookieWebSocket(cookie: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

export interface SyncedClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** Opens a document as a person would, through the stock y-websocket provider. */
export function openDoc(
  server: ServerAddress | RunningServer,
  user: Pick<TestUser, 'cookie'>,
  docName: string,
  doc = new Y.Doc(),
  options: { maxBackoffTime?: number } = {},
): SyncedClient {
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: cookieWebSocket(user.cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...options,
  });
  // In Node the provider holds a process 'exit' listener of its own (to drop its presence as a tab closes), so a
  // test with more than ten clients open at once (three relays' worth) printed MaxListenersExceededWarning. A tab has
  // none, and at a test process's exit nothing would be sent: the client goes without.
  process.off('exit', provider._exitHandler);
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves once the client's provider has synced with the relay (at once if it has). */
export function whenSynced(client: SyncedClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.provider.synced) return resolve();
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      client.provider.off('sync', onSync);
      resolve();
    };
    client.provider.on('sync', onSync);
  });
}

/** Collects every close code the client's provider sees from now on (0: closed on our side), to prove none was a refusal. */
export function closeCodesOf(client: SyncedClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event) => codes.push(event?.code ?? 0));
  return codes;
}
