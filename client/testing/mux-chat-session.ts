/**
 * A ChatSession over a real `/mux` socket, signed in by the person's cookie,
 * as the client data tests build it (the chat app's own wiring, minus the
 * browser's network events: the network is always "visible" here).
 */
import { MUX_PATH } from '../../shared/mux-frames.js';
import type { TestUser } from '../../sync-server/testing/test-users.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { PendingIndex } from '../data/messages/pending-index.js';
import { SetAsideStore } from '../data/refusals/set-aside-store.js';
import { ChatSession } from '../data/session/chat-session.js';
import { SegmentKeep } from '../data/session/segment-keep.js';
import { MuxProvider } from '../data/sync/mux-provider.js';
import { type NetworkSignals, OpenDocuments } from '../data/sync/open-documents.js';
import { cookieSocket } from './cookie-socket.js';
import { memoryStorage } from './memory-storage.js';

const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };

/** The `/mux` address of a test server at `serverUrl` (http or ws). */
export function muxUrlOf(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}${MUX_PATH}`;
}

export interface MuxChatSessionOptions {
  /** Where the socket goes: `muxUrlOf(server.url)`, or a port nobody listens on for an offline device. */
  url: string;
  /** The device's localStorage (a fresh one if not given). */
  storage?: KeyValueStorage;
  /** The provider's reconnect backoff cap (its default if not given). */
  maxBackoffMs?: number;
  /** The person's first sign-in on this device (ChatSession's option; false if not given). */
  firstOnThisDevice?: boolean;
}

/** A session of `user` over one `/mux` socket; the caller closes it. */
export function muxChatSession(
  user: TestUser,
  options: MuxChatSessionOptions,
): { session: ChatSession; mux: MuxProvider; documents: OpenDocuments; storage: KeyValueStorage } {
  const mux = new MuxProvider(options.url, { WebSocketPolyfill: cookieSocket(user.cookie), maxBackoffMs: options.maxBackoffMs });
  const documents = new OpenDocuments({ wsBase: 'unused', mux }, quietSignals);
  const storage = options.storage ?? memoryStorage();
  const session = new ChatSession(
    user,
    documents,
    new PendingIndex(user.id, storage),
    () => true,
    new SetAsideStore(user.id, storage),
    // On the device's storage, as the app's on localStorage (ChatSession's default reads globalThis.localStorage).
    new SegmentKeep(user.id, storage),
    { firstOnThisDevice: options.firstOnThisDevice ?? false },
  );
  return { session, mux, documents, storage };
}
