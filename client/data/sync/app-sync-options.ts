/**
 * How the app's documents reach the relay: all over one multiplexed socket
 * per tab (`/mux`, issue 12), so a person in hundreds of conversations holds
 * one socket, not one per document. The stock socket per document
 * (`/sync/<doc>`) stays reachable behind a switch, for comparing the two and
 * as a way back: `localStorage['happychat.sync-transport'] = 'per-document'`.
 */
import { MUX_PATH } from '../../../shared/mux-frames.js';
import { defaultWsBase, type DocConnectionOptions } from './doc-connection.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import { MuxProvider } from './mux-provider.js';

/** The localStorage key of the switch, and its value that turns the shared socket off. */
export const SYNC_TRANSPORT_KEY = 'happychat.sync-transport';
export const PER_DOCUMENT_TRANSPORT = 'per-document';

/** The relay's multiplexed URL for this page: same host, ws or wss like the page. */
export function defaultMuxUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + MUX_PATH;
}

/** The options of a signed-in session's documents: a fresh shared socket for it, unless switched off. */
export function appSyncOptions(storage: Pick<KeyValueStorage, 'getItem'> = localStorage): DocConnectionOptions {
  const wsBase = defaultWsBase();
  if (storage.getItem(SYNC_TRANSPORT_KEY) === PER_DOCUMENT_TRANSPORT) return { wsBase };
  return { wsBase, mux: new MuxProvider(defaultMuxUrl()) };
}
