/**
 * What waits in the relay's memory to be sent, per connection and per
 * person (issue 20, item 3). A socket that never reads keeps every frame
 * queued to it; one person with many such sockets could make the relay hold
 * a whole document per socket. Every frame is counted from the moment it is
 * handed to `ws` until `ws` has written it to the kernel, and a frame that
 * would pass a bound drops its connection before it is queued (for a sync
 * answer, before it is even encoded: see sync-answers.ts).
 *
 * - Per connection, live frames (updates, awareness) may not pile up past
 *   `queuedBytesPerConnection`. A sync answer is not held to it (a fresh
 *   device must get a document larger than that), only to the person's bound.
 * - Per person, everything queued to their connections may not pass
 *   `queuedBytesPerPerson`; one whole-document frame shared by several of
 *   their connections is counted once, since it is one buffer in memory.
 * - Into an empty queue any one frame fits, so no document is too large to
 *   send; the bound is then the larger of the budget and one frame.
 */
import type { Logger } from '../config.js';
import type { RelayResourceLimits } from './resource-limits.js';

export type QueueLimits = Pick<RelayResourceLimits, 'queuedBytesPerConnection' | 'queuedBytesPerPerson'>;

export interface FrameKind {
  /** An answer to a sync step 1 (the document or a diff of it), not live traffic. */
  answer?: boolean;
  /** A frame several connections may hold at once (the encoded whole document): counted once per person. */
  shared?: boolean;
}

class PersonQueue {
  bytes = 0;
  peak = 0;
  connections = 0;
  /** Shared frames this person's connections hold, with how many hold each. */
  readonly sharedHolders = new Map<Uint8Array, number>();

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.peak) this.peak = this.bytes;
  }
}

export class SendQueues {
  private readonly people = new Map<string, PersonQueue>();

  constructor(
    readonly limits: QueueLimits,
    private readonly log: Logger,
  ) {}

  /** The queue of a newly accepted connection of `userId`; `release` it when the connection closes. */
  open(userId: string, docName: string): ConnectionQueue {
    let person = this.people.get(userId);
    if (!person) {
      person = new PersonQueue();
      this.people.set(userId, person);
    }
    person.connections++;
    return new ConnectionQueue(person, this, userId, docName);
  }

  /** Why a connection of `userId` on `docName` is being dropped (its queue would pass a bound). */
  dropped(userId: string, docName: string, what: string): void {
    this.log.warn(`dropped a connection: ${what}`, { user: userId, doc: docName });
  }

  /** Bytes queued to this person's connections right now. */
  queuedBytesOf(userId: string): number {
    return this.people.get(userId)?.bytes ?? 0;
  }

  /** The most ever queued to this person's connections at once, while they had any open (tests, metrics). */
  peakQueuedBytesOf(userId: string): number {
    return this.people.get(userId)?.peak ?? 0;
  }

  /** A connection's queue was released: its person counts one connection less. */
  closed(userId: string, queue: ConnectionQueue): void {
    const person = this.people.get(userId);
    if (!person) return;
    queue.forgetAll();
    if (--person.connections === 0) this.people.delete(userId);
  }
}

/** Slots a connection's emptied queue keeps for its next frames. */
const KEPT_SLOTS = 64;

/** A shared frame waiting (rare: whole-document answers). */
interface QueuedShared {
  bytes: number;
  live: boolean;
  shared: Uint8Array;
}

/**
 * A frame waiting: an unshared one is its size as a small integer, the live ones as is and the answers as `~bytes`
 * (negative), so the hot path (one broadcast frame per connection) allocates no object per frame (issue 14).
 */
type Queued = number | QueuedShared;

export class ConnectionQueue {
  /** Live bytes queued to this connection (sync answers excluded). */
  private liveBytes = 0;
  /**
   * Frames handed to `ws` and not yet written out, oldest first from `head`:
   * `ws` writes a connection's frames in order and calls their callbacks in
   * that order, so one callback per connection takes the oldest.
   */
  private pending: Queued[] = [0, 0, 0, 0];
  private head = 0;
  /**
   * The end of the frames waiting in `pending`: its slots are reused, since a connection's queue empties after
   * almost every frame and a new array (or `length = 0`, which V8 trims) cost ~150 bytes a frame (issue 14, session 13).
   * Four slots to start with: a first push onto an empty array grows it to 17 (~150 B), kept by every idle
   * connection that was ever sent to (issue 14, session 14).
   */
  private tail = 0;
  private released = false;
  /**
   * A write error means the socket is going: nothing queued to it will be sent (and errors may come out of order).
   * Made in the constructor, not as a field initializer: `tsx` names every field arrow, which costs a
   * property dictionary per connection (issue 14).
   */
  private readonly onWritten: (error?: Error) => void;

  /**
   * `queues`: the relay's one `SendQueues`, told when this queue is released
   * and why it drops its connection, by `userId` and `docName` (no closures per
   * connection: issue 14, session 14).
   */
  constructor(
    private readonly person: PersonQueue,
    private readonly queues: SendQueues,
    private readonly userId: string,
    private readonly docName: string,
  ) {
    this.onWritten = (error) => (error ? this.forgetAll() : this.writtenOldest());
  }

  /**
   * Whether a frame of `bytes` (or `shared` itself, for a shared frame) may
   * be queued now; logs why not. Call it before building a large frame.
   */
  admits(bytes: number, kind?: FrameKind, shared: Uint8Array | null = null): boolean {
    const person = this.person;
    const charge = shared && person.sharedHolders.has(shared) ? 0 : bytes;
    // A shared frame the person already holds costs nothing more, even past the budget.
    if (charge > 0 && person.bytes > 0 && person.bytes + charge > this.queues.limits.queuedBytesPerPerson) {
      this.queues.dropped(
        this.userId,
        this.docName,
        `its person's queue would pass ${this.queues.limits.queuedBytesPerPerson} bytes (${person.bytes} queued, ${bytes} more)`,
      );
      return false;
    }
    if (!kind?.answer && this.liveBytes > 0 && this.liveBytes + bytes > this.queues.limits.queuedBytesPerConnection) {
      this.queues.dropped(
        this.userId,
        this.docName,
        `its queue would pass ${this.queues.limits.queuedBytesPerConnection} bytes (${this.liveBytes} queued)`,
      );
      return false;
    }
    return true;
  }

  /** Counts `frame` as queued; returns what `ws` calls once it has written it out (or failed to). */
  enqueue(frame: Uint8Array, kind?: FrameKind): (error?: Error) => void {
    if (this.released) return this.onWritten;
    const bytes = frame.byteLength;
    const live = !kind?.answer;
    if (live) this.liveBytes += bytes;
    if (kind?.shared) {
      this.append({ bytes, live, shared: frame });
      const holders = this.person.sharedHolders.get(frame) ?? 0;
      if (holders === 0) this.person.add(bytes);
      this.person.sharedHolders.set(frame, holders + 1);
    } else {
      this.append(live ? bytes : ~bytes);
      this.person.add(bytes);
    }
    return this.onWritten;
  }

  /** The connection closed: nothing of it is queued any more. */
  release(): void {
    if (this.released) return;
    this.queues.closed(this.userId, this);
    this.released = true;
  }

  /** Forgets every frame still counted (the connection closed or its socket failed). */
  forgetAll(): void {
    while (this.head < this.tail) this.writtenOldest();
  }

  private append(entry: Queued): void {
    if (this.tail < this.pending.length) this.pending[this.tail] = entry;
    else this.pending.push(entry);
    this.tail++;
  }

  private writtenOldest(): void {
    if (this.head >= this.tail) return;
    const entry = this.pending[this.head];
    this.pending[this.head++] = 0; // a written shared frame must not stay reachable from here
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      // After a backlog, not kept at its size for the connection's life.
      if (this.pending.length > KEPT_SLOTS) this.pending = [];
    } else if (this.head >= 1024 && this.head * 2 >= this.tail) {
      this.pending.copyWithin(0, this.head, this.tail);
      this.pending.fill(0, this.tail - this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    if (typeof entry === 'number') {
      if (entry >= 0) this.liveBytes -= entry;
      this.person.bytes -= entry >= 0 ? entry : ~entry;
      return;
    }
    if (entry.live) this.liveBytes -= entry.bytes;
    const holders = (this.person.sharedHolders.get(entry.shared) ?? 1) - 1;
    if (holders > 0) {
      this.person.sharedHolders.set(entry.shared, holders);
      return;
    }
    this.person.sharedHolders.delete(entry.shared);
    this.person.bytes -= entry.bytes;
  }
}
