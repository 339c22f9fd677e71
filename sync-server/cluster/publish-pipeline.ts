/**
 * The PUBLISHes of one process turn, written to Redis together. Frames that
 * arrive in one turn of the event loop (several sockets read in one poll, a
 * group commit's batches and its answers to edges) are published at its end,
 * by `setImmediate`, in one pipeline: one `write` system call and one read on
 * Redis' side for all of them, where each PUBLISH was one of each
 * (docs/PERFORMANCE.md, "Session 12"). Nothing is held for a later turn, so a
 * lone frame goes out as soon as before; the order of publishes is kept.
 *
 * A publish asked for `immediately` does not wait for the turn's end: it is
 * written at once, with whatever was queued before it (so the order still
 * holds). That is for a message others wait on that is made with nothing to
 * gather around it: an owner's committed batch, after which the room's turn
 * goes on (its own sockets, the heads, push, search) for hundreds of µs
 * that the edges' sockets would otherwise wait out (docs/PERFORMANCE.md,
 * issue 11, session 14). What the turn publishes after it goes at its end.
 *
 * The command timeout is kept here, per connection, rather than by ioredis'
 * `commandTimeout`, which arms a timer per command: each flush notes when it
 * was sent, and one interval, a quarter of the timeout, fails the flushes
 * unanswered for longer (so a publish fails between 1 and 1.25 timeouts
 * after it was sent, as a command with no answer must; redis-connection.ts
 * opens the connection for this without ioredis' timer).
 */
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

interface Publish {
  channel: string;
  message: Buffer;
  resolve(listeners: number): void;
  reject(error: Error): void;
}

/** PUBLISHes written together: answered together, or failed together once late. */
class Flush {
  readonly sentAt = performance.now();

  constructor(
    private readonly unanswered: Set<Flush>,
    readonly publishes: readonly Publish[],
  ) {
    unanswered.add(this);
  }

  /** False when the deadline failed it first: its callers have moved on already. */
  settle(): boolean {
    return this.unanswered.delete(this);
  }

  fail(error: Error): void {
    if (!this.settle()) return;
    for (const publish of this.publishes) publish.reject(error);
  }
}

export class PublishPipeline {
  private queued: Publish[] = [];
  /** Flushes sent and not yet answered, oldest first (a Set iterates in insertion order). */
  private readonly unanswered = new Set<Flush>();
  private readonly deadlines: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs: number,
  ) {
    this.deadlines = setInterval(this.failLate, Math.max(5, Math.ceil(timeoutMs / 4)));
    this.deadlines.unref();
  }

  /**
   * Resolves with the number of subscribers that received it; rejects when Redis refused it or did not answer in
   * time. Written at the turn's end, or at once (with what was queued before it) when `immediately`.
   */
  publish(channel: string, message: Buffer, immediately = false): Promise<number> {
    return new Promise((resolve, reject) => {
      const publish: Publish = { channel, message, resolve, reject };
      // Alone and at once (an owner's committed batch, most of the time): no queue to grow for it.
      if (immediately && this.queued.length === 0) return this.send([publish]);
      if (this.queued.length === 0 && !immediately) setImmediate(this.flush);
      this.queued.push(publish);
      if (immediately) this.flush();
    });
  }

  /** Stops the deadline checks (publishes still in flight are answered by Redis or by the connection's end). */
  close(): void {
    clearInterval(this.deadlines);
  }

  private readonly flush = (): void => {
    const publishes = this.queued;
    // Written already by a publish asked for at once, after this turn-end flush was scheduled.
    if (publishes.length === 0) return;
    this.queued = [];
    this.send(publishes);
  };

  /** Writes `publishes` in one go: one PUBLISH, or a pipeline of them. */
  private send(publishes: readonly Publish[]): void {
    const flush = new Flush(this.unanswered, publishes);
    const failed = (error: Error) => flush.fail(error);
    if (publishes.length === 1) {
      this.redis.publish(publishes[0].channel, publishes[0].message).then((listeners) => {
        if (flush.settle()) publishes[0].resolve(listeners);
      }, failed);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const publish of publishes) pipeline.publish(publish.channel, publish.message);
    pipeline.exec().then((answers) => {
      if (!flush.settle()) return;
      for (const [index, publish] of publishes.entries()) {
        const [error, listeners] = answers?.[index] ?? [new Error('Redis gave no answer to a pipelined PUBLISH'), 0];
        if (error) publish.reject(error);
        else publish.resolve(Number(listeners));
      }
    }, failed);
  }

  /**
   * Run by the interval, so in the timers phase of a turn of the event loop, which comes before the phase that reads
   * sockets: after the main thread was held (a loaded machine, a long turn), an answer Redis sent in time may be waiting
   * unread in the socket. The verdict waits for `setImmediate`, after this turn has read what came, so only a flush Redis
   * truly left unanswered fails; a busy relay is not an unreachable Redis (docs/SCALING.md, "Timeouts").
   */
  private readonly failLate = (): void => {
    if (this.unanswered.size > 0) setImmediate(this.failUnanswered);
  };

  private readonly failUnanswered = (): void => {
    const now = performance.now();
    for (const flush of this.unanswered) {
      if (now - flush.sentAt < this.timeoutMs) return;
      flush.fail(new Error(`Redis did not answer a PUBLISH within ${this.timeoutMs} ms`));
    }
  };
}
