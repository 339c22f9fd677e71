/**
 * A Redis connection whose command timeout is kept here rather than by
 * ioredis' `commandTimeout`. ioredis arms a timer per command, and a timer
 * runs in the timers phase of a turn of the event loop, before the phase
 * that reads sockets: a relay whose main thread was held past the timeout
 * (a loaded machine) failed commands Redis had answered in time, their
 * answers waiting unread (a rate limit, a sync ticket: a 500). Here one
 * interval per connection, a quarter of the timeout, finds the commands
 * older than it and fails those still unanswered after the turn has read
 * its sockets (`setImmediate`), as publish-pipeline.ts does for the bus's
 * publishes (docs/SCALING.md, "Timeouts").
 */
import { performance } from 'node:perf_hooks';
import { type Command, Redis, type RedisOptions } from 'ioredis';

type CommandStream = Parameters<Redis['sendCommand']>[1];

export class RedisWithDeadlines extends Redis {
  /** Commands sent (or queued while disconnected) and maybe unanswered, with when each was first sent. */
  private pending: Map<Command, number> | undefined;
  private readonly deadlines: NodeJS.Timeout;

  /** No `commandTimeout` in `options`: ioredis' timer would fail an answer before this could take it. */
  constructor(
    url: string,
    options: Omit<RedisOptions, 'commandTimeout' | 'replyMapping'>,
    private readonly timeoutMs: number,
  ) {
    super(url, options);
    this.deadlines = setInterval(this.failLate, Math.max(5, Math.ceil(timeoutMs / 4)));
    this.deadlines.unref();
    // Only a connection that is over for good ('end': no reconnection follows) stops checking.
    this.once('end', () => clearInterval(this.deadlines));
  }

  override sendCommand(command: Command, stream?: CommandStream): unknown {
    // Created here, not as a field: ioredis may send before a subclass's fields are set. A command sent again after a
    // reconnection keeps its first time, as ioredis' own timer did.
    this.pending ??= new Map();
    if (!this.pending.has(command)) this.pending.set(command, performance.now());
    return super.sendCommand(command, stream);
  }

  private readonly failLate = (): void => {
    if (this.pending && this.pending.size > 0) setImmediate(this.failUnanswered);
  };

  private readonly failUnanswered = (): void => {
    if (!this.pending) return;
    const now = performance.now();
    for (const [command, sentAt] of this.pending) {
      if (command.isSettled) this.pending.delete(command);
      else if (now - sentAt >= this.timeoutMs) {
        this.pending.delete(command);
        command.reject(new Error('Command timed out'));
      }
    }
  };
}
