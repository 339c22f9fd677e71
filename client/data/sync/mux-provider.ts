/**
 * The tab's one WebSocket to the relay (`/mux`, docs/PROTOCOL.md "One
 * socket for many documents"), carrying every document the app syncs. Each
 * document is a `MuxDocument` with the events of a provider of its own, so
 * `DocConnection` treats it like one. The socket opens when a document
 * wants it and closes when none does; after a drop it comes back with
 * backoff (as y-websocket's does) and every document that wanted to be
 * synced subscribes again with its state vector: one message per document,
 * answered with just what each lacks.
 */
import { HEADS_FRAME_NAME } from '../../../shared/head-frames.js';
import { MuxMessageType, readMuxFrame } from '../../../shared/mux-frames.js';
import { SIGNED_IN_COOKIE } from '../../../shared/protocol.js';
import type { TransportClose } from './doc-transport.js';
import { type MuxDocumentOptions, type MuxLine, MuxDocument } from './mux-document.js';
import type * as Y from 'yjs';
import type { MuxHeadsListener } from './shared-heads.js';

export interface MuxProviderOptions {
  /** For Node tests, which have no global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  maxBackoffMs?: number;
  /** A socket that hears nothing for this long is taken for dead (the relay's presence renewals arrive every 15 s). */
  silenceTimeoutMs?: number;
}

const DEFAULT_MAX_BACKOFF_MS = 5000;
const DEFAULT_SILENCE_TIMEOUT_MS = 30_000;

export class MuxProvider implements MuxLine {
  private current: WebSocket | null = null;
  private readonly documents = new Map<string, MuxDocument>();
  /** Shared conversation heads (shared-heads.ts): subscribed on every socket; they never keep a socket open by themselves. */
  private heads: MuxHeadsListener | null = null;
  private failedAttempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private lastHeardAt = 0;
  private destroyed = false;
  private readonly WebSocketClass: typeof WebSocket;
  private readonly maxBackoffMs: number;
  private readonly silenceTimeoutMs: number;

  /** `url`: e.g. `wss://chat.example/mux`. */
  constructor(
    private readonly url: string,
    options: MuxProviderOptions = {},
  ) {
    this.WebSocketClass = options.WebSocketPolyfill ?? WebSocket;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS;
  }

  get socket(): WebSocket | null {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current?.readyState === this.WebSocketClass.OPEN;
  }

  /** Sockets this provider has opened so far (tests). */
  socketsOpened = 0;

  /** A document's provider-like handle; one per name (open it again only after `destroy`). */
  open(name: string, doc: Y.Doc, options: Pick<MuxDocumentOptions, 'shouldReconnect'>): MuxDocument {
    if (this.documents.has(name)) throw new Error(`${name} is already open on this socket`);
    const document = new MuxDocument(this, name, doc, { maxBackoffMs: this.maxBackoffMs, ...options });
    this.documents.set(name, document);
    return document;
  }

  /** Who takes the `heads` frames; subscribed at once when the socket is open, else when it opens. */
  setHeadsListener(listener: MuxHeadsListener | null): void {
    this.heads = listener;
    if (listener && this.isOpen) this.current?.send(listener.subscribeFrame());
  }

  request(document: MuxDocument): void {
    if (this.destroyed) return;
    if (this.isOpen) document.subscribe();
    else this.ensureSocket();
  }

  send(frame: Uint8Array): void {
    if (this.isOpen) this.current?.send(frame);
  }

  /** Closes a socket that looks open (the network went away under it) and opens a new one at once. */
  dropSocket(): void {
    if (!this.isOpen) return;
    this.lose(null);
    this.failedAttempts = 0;
    this.cancelReconnect();
    this.ensureSocket();
  }

  /**
   * Opens the socket before any document asks for it: the app does so while
   * it asks the server who is signed in, so the socket's handshake and the
   * relay's check of the session cookie are not on the wait for the list
   * (issue 12's cold first sign-in). Nothing is subscribed until a document
   * asks; a socket that fails is not tried again until one does. Only when
   * `pageCookies` (the page's `document.cookie`) holds the marker the server
   * sets beside the HttpOnly session cookie: a signed-out visitor's socket
   * would only be refused (whoever signed in here before, or nobody).
   */
  openEarly(pageCookies: string = document.cookie): void {
    if (!this.destroyed && hasCookie(pageCookies, SIGNED_IN_COOKIE)) this.ensureSocket();
  }

  /** Forgets the failed attempts and connects now if anything waits (network back, tab visible). */
  reconnectNow(): void {
    this.failedAttempts = 0;
    if (this.current || !this.anyoneWaits()) return;
    this.cancelReconnect();
    this.ensureSocket();
  }

  forget(document: MuxDocument): void {
    if (this.documents.get(document.name) === document) this.documents.delete(document.name);
    if (!this.anyoneWants()) this.closeSocket();
  }

  destroy(): void {
    this.destroyed = true;
    for (const document of [...this.documents.values()]) document.destroy();
    this.closeSocket();
  }

  private ensureSocket(): void {
    if (this.current || this.destroyed || this.reconnectTimer !== undefined) return;
    const socket = new this.WebSocketClass(this.url);
    socket.binaryType = 'arraybuffer';
    this.current = socket;
    this.socketsOpened++;
    for (const document of this.documents.values()) document.socketConnecting();
    socket.onopen = () => {
      if (this.current !== socket) return;
      this.lastHeardAt = Date.now();
      this.startWatchdog();
      for (const document of this.documents.values()) if (document.waitsForSocket) document.subscribe();
      if (this.heads) socket.send(this.heads.subscribeFrame());
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.current !== socket) return;
      this.lastHeardAt = Date.now();
      // The relay answered: the next loss is a new outage (its relay died, a deploy), not one more failed attempt of
      // this one, so a tab open for days does not wait the longest backoff for every relay restart it lives through.
      this.failedAttempts = 0;
      this.receive(new Uint8Array(event.data as ArrayBuffer));
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.current !== socket) return;
      this.lose({ code: event.code, reason: event.reason });
    };
    // A failed socket is followed by its close event; an error alone must not be an uncaught exception in Node.
    socket.onerror = () => {};
  }

  private receive(data: Uint8Array): void {
    let frame: ReturnType<typeof readMuxFrame>;
    try {
      frame = readMuxFrame(data);
    } catch (error) {
      console.warn('the relay sent a frame this client cannot read', error);
      return;
    }
    if (frame.docName === HEADS_FRAME_NAME) return this.heads?.receive(frame.type, frame.message);
    // Frames for a document closed here meanwhile cross our unsubscribe: nothing to do with them.
    this.documents.get(frame.docName)?.receive(frame.type, frame.message);
    if (frame.type === MuxMessageType.closed && !this.anyoneWants()) this.closeSocket();
  }

  /** The socket is gone: every subscription went with it; reconnect with backoff if anyone still waits. */
  private lose(event: TransportClose): void {
    const socket = this.current;
    this.current = null;
    this.stopWatchdog();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState === this.WebSocketClass.OPEN || socket.readyState === this.WebSocketClass.CONNECTING) socket.close();
    }
    for (const document of [...this.documents.values()]) document.socketClosed(event);
    this.heads?.socketClosed();
    if (!this.anyoneWaits() || this.destroyed) return;
    this.failedAttempts++;
    const delay = Math.min(2 ** this.failedAttempts * 100, this.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.anyoneWaits()) this.ensureSocket();
    }, delay);
  }

  private closeSocket(): void {
    this.cancelReconnect();
    if (!this.current) return;
    this.lose(null);
  }

  private anyoneWants(): boolean {
    for (const document of this.documents.values()) if (document.wantsConnection) return true;
    return false;
  }

  private anyoneWaits(): boolean {
    for (const document of this.documents.values()) if (document.waitsForSocket) return true;
    return false;
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer === undefined) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    this.watchdog = setInterval(
      () => {
        if (Date.now() - this.lastHeardAt > this.silenceTimeoutMs) this.lose(null);
      },
      Math.max(1000, this.silenceTimeoutMs / 3),
    );
  }

  private stopWatchdog(): void {
    if (this.watchdog === undefined) return;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }
}

/** Whether `cookies` (`name=value; name=value`, as `document.cookie` reads) holds a cookie `name` with a value. */
function hasCookie(cookies: string, name: string): boolean {
  return cookies.split(';').some((part) => {
    const [key, value] = part.split('=');
    return key?.trim() === name && Boolean(value?.trim());
  });
}
