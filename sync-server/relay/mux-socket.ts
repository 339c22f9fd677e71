/**
 * One accepted multiplexed socket (`/mux`, docs/PROTOCOL.md, "One socket
 * for many documents"): one signed-in person, any number of documents.
 * The socket was authenticated at the upgrade; each document is authorized
 * when it is subscribed and becomes a `MuxSubscription` bound to its room
 * with a `Connection` of its own, so every per-connection rule (validator,
 * rate limits, send queue, caps) holds per document. A frame that does not
 * say which document it is about closes the socket with 4400; anything
 * about one document ends that document only.
 */
import { WebSocket } from 'ws';
import { parseDocName, type DocName } from '../../shared/doc-names.js';
import {
  encodeClosedMessage,
  joinMuxFrame,
  muxPrefix,
  MuxFrameError,
  MuxMessageType,
  readMuxFrame,
  readSubscribe,
  type MuxFrame,
} from '../../shared/mux-frames.js';
import { HEADS_FRAME_NAME, HeadMessageType, readHeadsSubscribe } from '../../shared/head-frames.js';
import { CloseCode } from '../../shared/protocol.js';
import type { Logger } from '../config.js';
import { TokenBucket, type TokenBucketConfig } from '../limiting/token-bucket.js';
import { Connection, type ConnectionIdentity } from './connection.js';
import type { ConnectionCaps } from './connection-caps.js';
import type { DocRegistry } from './doc-registry.js';
import type { FrameRateLimits } from './frame-rate-limits.js';
import { encodeSyncStep1 } from './frames.js';
import { type HeadsSource, MuxHeads } from './mux-heads.js';
import { MuxSubscription, type MuxWire } from './mux-subscription.js';
import { frameSizeAllowed, MESSAGE_TOO_BIG } from './receiving-bytes.js';
import type { RelayResourceLimits } from './resource-limits.js';
import type { SendQueues } from './send-queues.js';
import type { RelayCounters } from '../operations/counters.js';

/** The relay's parts a multiplexed socket shares with `/sync/<doc>` sockets. */
export interface MuxHost {
  registry: DocRegistry;
  authorize(identity: ConnectionIdentity, doc: DocName): Promise<boolean>;
  caps: ConnectionCaps;
  sendQueues: SendQueues;
  rateLimits: FrameRateLimits;
  resources: RelayResourceLimits;
  log: Logger;
  /** Every document connection of the relay: sign-out and removals find subscriptions there too. */
  connections: Set<Connection>;
  /** Frames in and out, for `/metrics` (operations/counters.ts). */
  metrics: RelayCounters;
  /** Shared heads (HEADS_SHARED; mux-heads.ts); absent: `heads` is an unknown document. */
  heads?: HeadsSource;
}

/**
 * Subscribes per socket. Each costs an authorization and maybe a document
 * load; a client subscribes what it holds after a reconnect, and background
 * sync a few at a time. Past it a document is refused with 4429.
 */
export const MUX_SUBSCRIBES: TokenBucketConfig = { burst: 512, perSecond: 64 };
/**
 * Frames about a document the socket has not subscribed (or no longer has):
 * a few cross a `closed` in flight; a flood of them is abuse of the socket
 * and closes it with 4429.
 */
export const MUX_STRAY_FRAMES: TokenBucketConfig = { burst: 256, perSecond: 64 };
/**
 * `closed` answers are not counted in any send queue (they are tens of bytes,
 * and one per subscribe, which is rate-limited). What a socket holds unsent
 * is otherwise bounded by its person's queue bound; a socket that asks for
 * refusals without reading them is dropped once it holds this much more.
 */
const CLOSED_ANSWERS_BACKLOG_BYTES = 1024 * 1024;
/** A frame this large goes out as two fragments (name, then message) instead of being copied behind the name. */
const FRAGMENT_FROM_BYTES = 64 * 1024;

export class MuxSocket implements MuxWire {
  private readonly subscriptions = new Map<string, MuxSubscription>();
  private readonly subscribes: TokenBucket;
  private readonly strays: TokenBucket;
  private closing = false;
  private heads: MuxHeads | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly identity: ConnectionIdentity,
    private readonly host: MuxHost,
    private readonly now: () => number = Date.now,
  ) {
    this.subscribes = new TokenBucket(MUX_SUBSCRIBES, now());
    this.strays = new TokenBucket(MUX_STRAY_FRAMES, now());
  }

  /** Documents subscribed or being authorized (tests, metrics). */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Bytes `ws` holds unsent for this socket (tests and metrics). */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** Handles one whole frame from the client. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.closing) return;
    if (!isBinary) {
      this.close(CloseCode.invalidUpdate, 'text frames are not part of the protocol');
      return;
    }
    let frame: MuxFrame;
    try {
      frame = readMuxFrame(data);
    } catch (error) {
      this.close(CloseCode.invalidUpdate, error instanceof MuxFrameError ? error.message : 'malformed frame');
      return;
    }
    if (frame.docName === HEADS_FRAME_NAME && frame.type === HeadMessageType.subscribe) this.subscribeHeads(frame);
    else if (frame.type === MuxMessageType.subscribe) this.subscribe(frame);
    else if (frame.type === MuxMessageType.unsubscribe) this.unsubscribe(frame.docName);
    else this.forward(frame);
  }

  /** Closes the whole socket (session ended, abuse of the socket, shutdown). */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, reason);
  }

  /** The socket is gone: every document lets go of its room, without a word (the client knows). */
  socketClosed(): void {
    this.closing = true;
    this.heads?.stop();
    for (const subscription of this.subscriptions.values()) {
      subscription.markEnded();
      this.detach(subscription);
    }
    this.subscriptions.clear();
  }

  sendFrame(prefix: Uint8Array, message: Uint8Array, written?: (error?: Error) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      written?.(new Error('socket closed'));
      return;
    }
    if (message.byteLength < FRAGMENT_FROM_BYTES) {
      this.ws.send(joinMuxFrame(prefix, message), { binary: true }, written);
      return;
    }
    // Two fragments of one message: the whole-document answer stays one buffer shared with other sockets.
    this.ws.send(prefix, { binary: true, fin: false });
    this.ws.send(message, { binary: true, fin: true }, written);
  }

  ended(subscription: MuxSubscription, code: number, reason: string): void {
    if (!subscription.markEnded()) return;
    if (this.subscriptions.get(subscription.docName) === subscription) this.subscriptions.delete(subscription.docName);
    this.sendClosed(subscription.prefix, code, reason);
    // Off the caller's turn: the room may be going through its connections right now.
    queueMicrotask(() => this.detach(subscription));
  }

  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Heads of every conversation of this person (mux-heads.ts); refused like an unknown document when heads are not shared. */
  private subscribeHeads(frame: MuxFrame): void {
    const prefix = muxPrefix(HEADS_FRAME_NAME);
    const subscribe = readHeadsSubscribe(frame.message);
    if (subscribe === null) return this.sendClosed(prefix, CloseCode.invalidUpdate, 'malformed subscribe');
    if (!this.subscribes.take(this.now())) return this.sendClosed(prefix, CloseCode.rateLimited, 'subscribing too fast');
    const source = this.host.heads;
    if (!source) return this.sendClosed(prefix, CloseCode.forbidden, 'unknown document');
    this.heads ??= new MuxHeads(source, this.identity.userId, (whole) => this.sendWhole(whole), this.host.log);
    this.heads.subscribe(subscribe.since, subscribe.batches);
  }

  /** A whole frame built elsewhere (a head, encoded once for every member); a socket that does not read its heads is dropped, as one that does not read its refusals. */
  private sendWhole(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.host.resources.queuedBytesPerPerson + CLOSED_ANSWERS_BACKLOG_BYTES) {
      this.host.log.warn('dropped a multiplexed socket: it does not read its heads', { user: this.identity.userId });
      this.terminate();
      return;
    }
    this.ws.send(frame, { binary: true });
  }

  private subscribe(frame: MuxFrame): void {
    const { docName } = frame;
    const existing = this.subscriptions.get(docName);
    if (existing) {
      // A subscribe again replaces the subscription without a word: a `closed` of it may be on its way
      // to the client, which then subscribes again (refusing that would look like a refused update).
      this.subscriptions.delete(docName);
      existing.markEnded();
      this.detach(existing);
    }
    const prefix = muxPrefix(docName);
    const stateVector = readSubscribe(frame.message);
    if (!stateVector) return this.sendClosed(prefix, CloseCode.invalidUpdate, 'malformed subscribe');
    if (!this.subscribes.take(this.now())) return this.sendClosed(prefix, CloseCode.rateLimited, 'subscribing too fast');
    const doc = parseDocName(docName);
    if (!doc) return this.sendClosed(prefix, CloseCode.forbidden, 'unknown document');
    const refused = this.host.caps.claimDocument(this.identity.userId, docName);
    if (refused) return this.sendClosed(prefix, CloseCode.rateLimited, refused.refused);
    const subscription = new MuxSubscription(this, docName, prefix);
    this.subscriptions.set(docName, subscription);
    this.open(subscription, doc, stateVector).catch((error: unknown) => {
      this.host.log.error('opening a multiplexed document failed', { doc: docName, user: this.identity.userId, error: String(error) });
      subscription.end(CloseCode.tryAgainLater, 'document unavailable');
    });
  }

  /** Authorizes, loads and joins; the client's state vector is then answered like its sync step 1. */
  private async open(subscription: MuxSubscription, doc: DocName, stateVector: Uint8Array): Promise<void> {
    const allowed = await this.host.authorize(this.identity, doc);
    if (subscription.ended) return;
    if (!allowed) return subscription.end(CloseCode.forbidden, 'not a member');
    const { docName } = subscription;
    const room = await this.host.registry.acquireForSocket(docName).catch((error: unknown) => {
      this.host.log.error('loading a document failed', { doc: docName, error: String(error) });
      return null;
    });
    if (!room) return subscription.end(CloseCode.tryAgainLater, 'document unavailable');
    if (subscription.ended) {
      this.host.registry.releaseForSocket(room);
      return;
    }
    const queue = this.host.sendQueues.open(this.identity.userId, docName);
    const connection = new Connection(subscription, this.identity, docName, queue, this.host.metrics.sent('mux'));
    subscription.bind(connection, room);
    this.host.connections.add(connection);
    room.join(connection);
    this.deliver(subscription, encodeSyncStep1(stateVector));
  }

  private unsubscribe(docName: string): void {
    const subscription = this.subscriptions.get(docName);
    if (!subscription) return this.stray();
    this.subscriptions.delete(docName);
    subscription.markEnded();
    this.detach(subscription);
  }

  /** A y-websocket message (or anything else) about one document: checked and handed to its room as from its own socket. */
  private forward(frame: MuxFrame): void {
    const subscription = this.subscriptions.get(frame.docName);
    const connection = subscription?.connection;
    if (!subscription || !connection || connection.isClosed) return this.stray();
    const { message } = frame;
    if (!frameSizeAllowed(message, this.host.resources)) return connection.close(MESSAGE_TOO_BIG, 'frame too large for its type');
    if (!this.host.rateLimits.admit(connection, message)) {
      this.host.log.warn('closed a multiplexed document over its rate limit', { doc: frame.docName, user: this.identity.userId });
      return connection.close(CloseCode.rateLimited, 'rate limited');
    }
    this.deliver(subscription, message);
  }

  private deliver(subscription: MuxSubscription, message: Uint8Array): void {
    const { connection, room } = subscription;
    if (!connection || !room) return;
    try {
      room.receive(connection, message);
    } catch (error) {
      // A bug in handling one frame must cost one document, never the socket or the process.
      this.host.log.error('relay failed to handle a frame', {
        doc: subscription.docName,
        user: this.identity.userId,
        error: String(error),
      });
      connection.close(CloseCode.invalidUpdate, 'frame could not be handled');
    }
  }

  /** A frame about a document not subscribed here: dropped, and counted. */
  private stray(): void {
    if (this.strays.take(this.now())) return;
    this.host.log.warn('closed a multiplexed socket: too many frames for documents it has not subscribed', { user: this.identity.userId });
    this.close(CloseCode.rateLimited, 'too many frames for documents not subscribed');
  }

  private sendClosed(prefix: Uint8Array, code: number, reason: string): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.host.resources.queuedBytesPerPerson + CLOSED_ANSWERS_BACKLOG_BYTES) {
      this.host.log.warn('dropped a multiplexed socket: it does not read its refusals', { user: this.identity.userId });
      this.terminate();
      return;
    }
    this.ws.send(joinMuxFrame(prefix, encodeClosedMessage(code, reason)), { binary: true });
  }

  /** Lets go of everything a subscription held: its room, its place under the caps, its queue. */
  private detach(subscription: MuxSubscription): void {
    const { connection, room } = subscription;
    if (subscription.letGoOfPlace()) this.host.caps.releaseDocument(this.identity.userId, subscription.docName);
    if (!connection || !room) return;
    if (!this.host.connections.delete(connection)) return;
    connection.markClosed();
    room.leave(connection);
    this.host.registry.releaseForSocket(room);
  }
}
