/**
 * One document of the visitor's conversation (`conv/<id>` or one of its
 * history segments, docs/SEGMENTS.md): a Y.Doc kept in the iframe's
 * IndexedDB and synced with the relay over a socket opened with a
 * single-use ticket (ticket-reconnect.ts). Like the app's `DocConnection`,
 * it loads the local copy first and only then connects. Emits 'change' when
 * its content or its connection changes.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { deleteDatabase } from '../data/sync/local-data.js';
import type { SegmentConnection } from '../data/session/conversation-segments.js';
import { TicketReconnect, type TicketAnswer } from './ticket-reconnect.js';

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'stopped';

/** Where the browser announces the network coming and going (`window`). */
export interface NetworkSignals {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface VisitorDocumentOptions {
  /** e.g. `wss://chat.example/sync`. */
  wsBase: string;
  fetchTicket(): Promise<TicketAnswer>;
  /** The token got no ticket (401/403): the session must be checked again. */
  onTokenRefused(status: number): void;
  persist?: boolean;
  WebSocketPolyfill?: typeof WebSocket;
  network?: NetworkSignals;
  isOnline?(): boolean;
  localLoadTimeoutMs?: number;
}

export class VisitorDocument extends EventTarget implements SegmentConnection {
  readonly doc = new Y.Doc();
  readonly whenLocalLoaded: Promise<void>;
  private readonly provider: WebsocketProvider;
  private readonly persistence: IndexeddbPersistence | null;
  private readonly reconnect: TicketReconnect;
  private readonly isOnline: () => boolean;
  private syncState: 'connecting' | 'online' | 'stopped' = 'connecting';
  private stop: { code: number; reason: string } | null = null;
  private localLoaded = false;
  private destroyed = false;

  constructor(
    readonly name: string,
    private readonly options: VisitorDocumentOptions,
  ) {
    super();
    this.isOnline = options.isOnline ?? (() => navigator.onLine);
    this.persistence = options.persist === false ? null : new IndexeddbPersistence(name, this.doc);
    this.provider = new WebsocketProvider(options.wsBase, name, this.doc, {
      connect: false,
      // A ticket opens one socket: TicketReconnect gets a new one for every connection.
      shouldReconnect: () => false,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    this.reconnect = new TicketReconnect({
      provider: this.provider,
      fetchTicket: options.fetchTicket,
      onTokenRefused: options.onTokenRefused,
      onStopped: (code, reason) => {
        this.stop = { code, reason };
        this.syncState = 'stopped';
        this.changed();
      },
      isOnline: this.isOnline,
    });
    this.provider.on('status', ({ status }) => {
      if (this.syncState === 'stopped') return;
      this.syncState = status === 'connected' && this.provider.synced ? 'online' : 'connecting';
      this.changed();
    });
    this.provider.on('sync', (synced: boolean) => {
      if (!synced || this.syncState === 'stopped') return;
      this.syncState = 'online';
      this.dispatchEvent(new Event('synced'));
      this.changed();
    });
    this.doc.on('update', this.onUpdate);
    options.network?.addEventListener('online', this.onOnline);
    options.network?.addEventListener('offline', this.onOffline);
    this.whenLocalLoaded = this.loadLocal(options.localLoadTimeoutMs ?? 3000).then(() => {
      this.localLoaded = true;
      this.changed();
    });
    void this.whenLocalLoaded.then(() => {
      if (!this.destroyed) this.reconnect.start();
    });
  }

  get status(): SyncStatus {
    if (this.syncState === 'stopped') return 'stopped';
    if (this.syncState === 'online') return 'online';
    return this.isOnline() ? 'connecting' : 'offline';
  }

  /** What `ConversationSegments` reads: synced with the relay now, and the local copy read. */
  get state(): { synced: boolean; localLoaded: boolean } {
    return { synced: this.syncState === 'online', localLoaded: this.localLoaded };
  }

  /** Why the relay stopped this document for good (4403 blocked, 4400 refused), while `status` is 'stopped'. */
  get stopped(): { code: number; reason: string } | null {
    return this.stop;
  }

  /** The session was confirmed again after the token got no ticket: try again. */
  resume(): void {
    if (this.destroyed || this.syncState === 'stopped') return;
    this.reconnect.start();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.reconnect.destroy();
    this.options.network?.removeEventListener('online', this.onOnline);
    this.options.network?.removeEventListener('offline', this.onOffline);
    this.doc.off('update', this.onUpdate);
    this.provider.destroy();
    this.provider.awareness.destroy();
    const closed = this.persistence?.destroy();
    this.doc.destroy();
    await closed;
  }

  /** Closes and deletes the local copy. */
  async destroyAndClear(): Promise<void> {
    await this.destroy();
    if (this.persistence) await deleteDatabase(this.name);
  }

  private readonly onUpdate = (): void => this.changed();

  private readonly onOnline = (): void => {
    this.reconnect.now();
    this.changed();
  };

  private readonly onOffline = (): void => {
    this.reconnect.dropSocket();
    this.changed();
  };

  private changed(): void {
    if (!this.destroyed) this.dispatchEvent(new Event('change'));
  }

  private loadLocal(timeoutMs: number): Promise<void> {
    if (!this.persistence) return Promise.resolve();
    const loaded = this.persistence.whenSynced.then(
      () => undefined,
      (error: unknown) => console.warn(`Could not load ${this.name} from IndexedDB`, error),
    );
    return Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
  }
}
