/**
 * The visitor's one conversation: a Y.Doc kept in the iframe's IndexedDB
 * and synced with the relay over sockets opened with single-use tickets
 * (ticket-reconnect.ts). Like the app, it loads the local copy first and
 * only then connects; messages written offline wait in IndexedDB and go out
 * when a socket is back, pending until the server numbers them.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { convDocName } from '../../shared/doc-names.js';
import { orderedMessages, type OrderedMessage } from '../../shared/message-order.js';
import { clampMessageTime } from '../../shared/message-rules.js';
import { newMessageId } from '../../shared/message-id.js';
import { messagesOf, readsOf, seqOf, type Attachment, type Message } from '../../shared/schema.js';
import { deleteDatabase } from '../data/sync/local-data.js';
import { newTextMessage, pendingCountOf, type SendResult } from '../data/messages/new-messages.js';
import { highestSequence, readMarker, unreadCount } from '../data/messages/unread.js';
import { TicketReconnect, type TicketAnswer } from './ticket-reconnect.js';

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'stopped';

/** Where the browser announces the network coming and going (`window`). */
export interface NetworkSignals {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface VisitorConversationOptions {
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

export class VisitorConversation extends EventTarget {
  readonly doc = new Y.Doc();
  readonly whenLocalLoaded: Promise<void>;
  private readonly provider: WebsocketProvider;
  private readonly persistence: IndexeddbPersistence | null;
  private readonly reconnect: TicketReconnect;
  private readonly isOnline: () => boolean;
  private syncState: 'connecting' | 'online' | 'stopped' = 'connecting';
  private stop: { code: number; reason: string } | null = null;
  /** Messages by the site's people already there when the first sync ended: not news. */
  private known: Set<string> | null = null;
  private destroyed = false;

  constructor(
    readonly conversationId: string,
    readonly guestId: string,
    private readonly options: VisitorConversationOptions,
  ) {
    super();
    const name = convDocName(conversationId);
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
      this.known ??= this.siteMessageIds();
      this.changed();
    });
    this.doc.on('update', this.onUpdate);
    options.network?.addEventListener('online', this.onOnline);
    options.network?.addEventListener('offline', this.onOffline);
    this.whenLocalLoaded = this.loadLocal(options.localLoadTimeoutMs ?? 3000);
    void this.whenLocalLoaded.then(() => {
      if (!this.destroyed) this.reconnect.start();
    });
  }

  get status(): SyncStatus {
    if (this.syncState === 'stopped') return 'stopped';
    if (this.syncState === 'online') return 'online';
    return this.isOnline() ? 'connecting' : 'offline';
  }

  /** Why the relay stopped this conversation for good (4403 blocked, 4400 refused), while `status` is 'stopped'. */
  get stopped(): { code: number; reason: string } | null {
    return this.stop;
  }

  messages(): OrderedMessage[] {
    return orderedMessages(this.doc);
  }

  /** Writes a text message locally; it goes out now or when the network returns. */
  send(text: string): SendResult {
    const result = newTextMessage(this.guestId, text);
    if (result.ok) messagesOf(this.doc).set(result.message.id, result.message);
    return result;
  }

  /** Writes a picture message for a picture already uploaded (visitor-api.ts `uploadPicture`). */
  sendPicture(attachment: Attachment): void {
    const message: Message = {
      id: newMessageId(),
      author: this.guestId,
      kind: 'image',
      text: '',
      createdAt: clampMessageTime(Date.now()),
      attachments: [attachment],
    };
    messagesOf(this.doc).set(message.id, message);
  }

  /** My messages the server has not numbered yet. */
  unsentMessages(): Message[] {
    const seq = seqOf(this.doc);
    const unsent: Message[] = [];
    messagesOf(this.doc).forEach((message, id) => {
      if (message.author === this.guestId && !seq.has(id)) unsent.push(message);
    });
    return unsent;
  }

  /** Writes messages again under their own ids, one change each (after a resync from scratch). */
  writeAgain(messages: readonly Message[]): void {
    for (const message of messages) messagesOf(this.doc).set(message.id, message);
  }

  pendingCount(): number {
    return pendingCountOf(this.doc, this.guestId);
  }

  unreadCount(): number {
    return unreadCount(this.doc, this.guestId);
  }

  /** The visitor sees the conversation: my read marker moves up to the newest message (never down). */
  markRead(): void {
    const highest = highestSequence(this.doc);
    if (highest > readMarker(this.doc, this.guestId)) readsOf(this.doc).set(this.guestId, highest);
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

  /** Closes and deletes the local copy (the host's user signed out). */
  async destroyAndClear(): Promise<void> {
    await this.destroy();
    if (this.persistence) await deleteDatabase(convDocName(this.conversationId));
  }

  private readonly onUpdate = (): void => {
    if (this.known) {
      for (const message of this.newSiteMessages()) this.dispatchEvent(new CustomEvent<Message>('incoming', { detail: message }));
    }
    this.changed();
  };

  private readonly onOnline = (): void => {
    this.reconnect.now();
    this.changed();
  };

  private readonly onOffline = (): void => {
    this.reconnect.dropSocket();
    this.changed();
  };

  /** Delivered messages by the site's people that were not here before. */
  private newSiteMessages(): Message[] {
    const known = this.known;
    if (!known) return [];
    const fresh: Message[] = [];
    const seq = seqOf(this.doc);
    messagesOf(this.doc).forEach((message, id) => {
      if (message.author === this.guestId || known.has(id) || !seq.has(id) || message.deleted) return;
      known.add(id);
      fresh.push(message);
    });
    return fresh;
  }

  private siteMessageIds(): Set<string> {
    const ids = new Set<string>();
    messagesOf(this.doc).forEach((message, id) => {
      if (message.author !== this.guestId) ids.add(id);
    });
    return ids;
  }

  private changed(): void {
    if (!this.destroyed) this.dispatchEvent(new Event('change'));
  }

  private loadLocal(timeoutMs: number): Promise<void> {
    if (!this.persistence) return Promise.resolve();
    const loaded = this.persistence.whenSynced.then(
      () => undefined,
      (error: unknown) => console.warn('Could not load the conversation from IndexedDB', error),
    );
    return Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
  }
}
