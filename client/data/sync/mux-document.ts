/**
 * One document synced over the tab's multiplexed socket (`mux-provider.ts`,
 * docs/PROTOCOL.md "One socket for many documents"): y-protocols sync and
 * awareness for this document, behind its name. It subscribes with its
 * state vector (its sync step 1), counts as connected once the relay's first
 * frame for it arrives, and as synced with the relay's step 2. A `closed`
 * from the relay ends this document only, with the code and reason a
 * `/sync/<doc>` socket would have closed with; like y-websocket it then
 * retries with backoff unless `shouldReconnect` says the code is final.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeSubscribe, encodeUnsubscribe, joinMuxFrame, MuxMessageType, muxPrefix, readClosed } from '../../../shared/mux-frames.js';
import { CloseCode, MessageType } from '../../../shared/protocol.js';
import type { DocTransport, TransportClose, TransportListener } from './doc-transport.js';

/** What a document needs of the shared socket. */
export interface MuxLine {
  /** The socket, while one is open or opening (for `DocTransport.ws`). */
  readonly socket: object | null;
  readonly isOpen: boolean;
  send(frame: Uint8Array): void;
  /** This document wants to be subscribed: now if the socket is open, else once it opens. */
  request(document: MuxDocument): void;
  dropSocket(): void;
  forget(document: MuxDocument): void;
}

export interface MuxDocumentOptions {
  /** After a close from the relay: whether to subscribe again (false stops until `connect`). */
  shouldReconnect(event: { code: number; reason: string }): boolean;
  maxBackoffMs: number;
}

type Phase = 'idle' | 'subscribing' | 'subscribed';

/** Spread over this, a dead owner's clients do not all reach the relay that claims its documents at once. */
const MOVED_RETRY_JITTER_MS = 100;

/**
 * After the relay closed the document: the first 1013 since it last synced means its owner went away (a cluster's
 * owner died or handed it over, docs/SCALING.md "Failover") and another relay can serve it now, so the retry goes
 * at once, with jitter; anything else, or 1013 again, waits y-websocket's doubling backoff.
 */
function retryDelayMs(event: TransportClose, failedAttempts: number, maxBackoffMs: number): number {
  if (event?.code === CloseCode.tryAgainLater && failedAttempts === 1) return Math.random() * MOVED_RETRY_JITTER_MS;
  return Math.min(2 ** failedAttempts * 100, maxBackoffMs);
}

export class MuxDocument implements DocTransport {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly prefix: Uint8Array;
  private readonly listeners: TransportListener[] = [];
  private phase: Phase = 'idle';
  private wanted = false;
  private failedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onUpdate: (update: Uint8Array, origin: unknown) => void;
  private readonly onAwareness: (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;

  constructor(
    private readonly line: MuxLine,
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly options: MuxDocumentOptions,
  ) {
    this.prefix = muxPrefix(name);
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.onUpdate = (update, origin) => {
      if (origin === this || this.phase !== 'subscribed') return;
      this.sendSync((encoder) => syncProtocol.writeUpdate(encoder, update));
    };
    this.onAwareness = ({ added, updated, removed }, origin) => {
      if (origin === this || this.phase !== 'subscribed') return;
      this.sendAwareness([...added, ...updated, ...removed]);
    };
    doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwareness);
  }

  get ws(): object | null {
    return this.phase === 'idle' ? null : this.line.socket;
  }

  get connected(): boolean {
    return this.phase === 'subscribed';
  }

  get wantsConnection(): boolean {
    return this.wanted;
  }

  /** True while a subscribe should go out once the socket opens (wanted, and no backoff running). */
  get waitsForSocket(): boolean {
    return this.wanted && this.phase === 'idle' && this.retryTimer === undefined;
  }

  listen(listener: TransportListener): void {
    this.listeners.push(listener);
  }

  connect(): void {
    this.wanted = true;
    this.cancelRetry();
    if (this.phase === 'idle') this.line.request(this);
  }

  disconnect(): void {
    this.wanted = false;
    this.cancelRetry();
    if (this.phase === 'idle') return;
    if (this.line.isOpen) this.line.send(encodeUnsubscribe(this.name));
    this.ended(null, false);
  }

  dropSocket(): void {
    this.line.dropSocket();
  }

  resetBackoff(): void {
    this.failedAttempts = 0;
  }

  destroy(): void {
    this.disconnect();
    this.doc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwareness);
    this.line.forget(this);
  }

  /** The socket is open: send the subscribe (the state vector is the sync step 1). */
  subscribe(): void {
    if (!this.wanted || this.phase !== 'idle') return;
    this.phase = 'subscribing';
    this.line.send(encodeSubscribe(this.name, Y.encodeStateVector(this.doc)));
    this.emitStatus('connecting');
  }

  /** A message from the relay for this document (its type first). */
  receive(type: number, message: Uint8Array): void {
    if (this.phase === 'idle') return;
    if (type === MuxMessageType.closed) {
      const closed = readClosed(message);
      this.ended(closed ?? { code: CloseCode.invalidUpdate, reason: 'malformed close' }, false);
      return;
    }
    if (this.phase === 'subscribing') this.accepted();
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    if (type === MessageType.sync) this.receiveSync(decoder);
    else if (type === MessageType.awareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }

  /** A new socket is opening and this document waits for it: it is connecting, as with a socket of its own. */
  socketConnecting(): void {
    if (this.waitsForSocket) this.emitStatus('connecting');
  }

  /**
   * The shared socket closed (or never opened): a subscription went with it,
   * and a document waiting for it failed an attempt, as it would have with a
   * socket of its own. So the sync status turns "Offline" after a few failed
   * attempts, and a refusal at the upgrade (4401: the session ended) stops
   * every document waiting for the socket.
   */
  socketClosed(event: TransportClose): void {
    if (this.phase !== 'idle') {
      this.ended(event, true);
      return;
    }
    if (!this.waitsForSocket) return;
    for (const listener of this.listeners) listener.closed(event);
    this.failedAttempts++;
    if (event && !this.options.shouldReconnect(event)) this.wanted = false;
  }

  private accepted(): void {
    this.phase = 'subscribed';
    this.emitStatus('connected');
    if (this.awareness.getLocalState() !== null) this.sendAwareness([this.doc.clientID]);
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const missing = Y.encodeStateAsUpdate(this.doc, payload);
      // Nothing the relay lacks (two zero bytes: no structs, no deletions): a reconnect costs no answer.
      if (missing.byteLength > 2 || missing.some((byte) => byte !== 0)) {
        this.sendSync((encoder) => syncProtocol.writeSyncStep2(encoder, this.doc, payload));
      }
      return;
    }
    Y.applyUpdate(this.doc, payload, this);
    if (syncType === syncProtocol.messageYjsSyncStep2) {
      this.failedAttempts = 0;
      for (const listener of this.listeners) listener.synced();
    }
  }

  /** The subscription is over; `withSocket` when the whole socket went (its reconnect brings this document back). */
  private ended(event: TransportClose, withSocket: boolean): void {
    const wasSubscribed = this.phase === 'subscribed';
    this.phase = 'idle';
    for (const listener of this.listeners) listener.closed(event);
    if (wasSubscribed) {
      const others = [...this.awareness.getStates().keys()].filter((client) => client !== this.doc.clientID);
      awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    }
    this.emitStatus('disconnected');
    if (!this.wanted) return;
    this.failedAttempts++;
    if (event && !this.options.shouldReconnect(event)) {
      this.wanted = false;
      return;
    }
    // One lost with the socket comes back with the socket; one the relay closed, after its own backoff.
    if (withSocket) return;
    const delay = retryDelayMs(event, this.failedAttempts, this.options.maxBackoffMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wanted && this.phase === 'idle') this.line.request(this);
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private sendSync(write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    write(encoder);
    this.line.send(joinMuxFrame(this.prefix, encoding.toUint8Array(encoder)));
  }

  private sendAwareness(clients: number[]): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    this.line.send(joinMuxFrame(this.prefix, encoding.toUint8Array(encoder)));
  }

  private emitStatus(status: 'connecting' | 'connected' | 'disconnected'): void {
    for (const listener of this.listeners) listener.status(status);
  }
}
