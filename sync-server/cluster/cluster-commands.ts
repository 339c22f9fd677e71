/**
 * Named server changes in a cluster (docs/SCALING.md, "Commands"): a
 * command runs on the relay that owns its document, inside that document's
 * `Room`, like every change. Both sides on one relay:
 *
 * - **Sender** (`run`): this relay claims the document (or has it) and runs
 *   the command here; when another relay owns it, the command goes to that
 *   owner's inbox with an id, and `run` waits for the owner's answer, sent
 *   after the change is stored. No answer in time (the owner died or is
 *   paused), or "moved" (it no longer owns the document): claim again and
 *   try again, with the same id, bounded in count and time. A failure on
 *   the owner is a failure here, as it would be in one process. The owner
 *   a refused claim named is remembered for half an attempt, so a burst of
 *   commands to one document (a round of heads) claims it once, not each time.
 * - **Owner** (`handle`): runs what others send with this relay's
 *   `LocalCommands` and answers. It remembers the ids it ran (in flight or
 *   done, the last few thousand for a while), so a command sent again
 *   because its answer was late is answered, not run twice. Across an
 *   owner's death that memory is gone; there the command's own idempotence
 *   holds (document-command.ts).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CommandOutcome, DocumentCommand, DocumentCommands } from '../commands/document-command.js';
import { parseCommand, targetOf } from '../commands/document-command.js';
import type { LocalCommands } from '../commands/local-commands.js';
import type { Logger } from '../config.js';
import { DocumentOwnedElsewhere } from '../store/postgres/postgres-document-log.js';
import type { ClusterBus } from './cluster-bus.js';
import { type CommandStatus, type InboxMessage, relayInbox } from './edge-channels.js';

export interface ClusterCommandsOptions {
  bus: ClusterBus;
  /** Runs commands on this relay's documents (claiming them when free). */
  local: LocalCommands;
  /** This relay's own inbox, where owners answer (its edge identity: stable for the process). */
  replyTo: string;
  log: Logger;
  /** How long one attempt waits for the owner's answer; about a lease, after which a dead owner's document can be claimed. */
  attemptTimeoutMs: number;
  /** How long a command is tried in all. */
  deadlineMs: number;
  /** How many attempts at most. */
  maxAttempts: number;
}

/** An owner's answer, or what stood for one. */
type Answer = { status: CommandStatus; detail: string } | { status: 'timeout' } | { status: 'unreachable'; detail: string };

interface Waiter {
  resolve: (answer: Answer) => void;
  timer: NodeJS.Timeout;
}

/** Ids an owner ran are remembered this long (a retry comes within the sender's deadline) and at most this many. */
const REMEMBER_MS = 60_000;
const REMEMBER_AT_MOST = 20_000;
/** Documents whose owner (named by a refused claim) a sender remembers at most. */
const OWNERS_AT_MOST = 10_000;

/** The command could not be run: its owner did not answer within the attempts, or no relay could claim its document. */
export class CommandNotApplied extends Error {
  constructor(command: DocumentCommand, attempts: number, last: string) {
    super(`${command.kind} on ${targetOf(command)} was not applied after ${attempts} attempts (${last})`);
    this.name = 'CommandNotApplied';
  }
}

export class ClusterCommands implements DocumentCommands {
  private readonly waiting = new Map<string, Waiter>();
  /** Owner side: what each command id came to, by id, oldest first. */
  private readonly ran = new Map<string, { outcome: Promise<CommandOutcome>; at: number }>();
  /** Sender side: the owner a refused claim named, by document, and when (oldest first). */
  private readonly owners = new Map<string, { owner: string; at: number }>();
  private closed = false;

  constructor(private readonly options: ClusterCommandsOptions) {
    // A command's follow-up into a later history segment (local-commands.ts) is routed too.
    options.local.routeFollowUpsThrough(this);
  }

  /** Commands waiting for an owner's answer (tests). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  async run(command: DocumentCommand): Promise<CommandOutcome> {
    const { local, attemptTimeoutMs, deadlineMs, maxAttempts } = this.options;
    const target = targetOf(command);
    const id = randomUUID();
    const deadline = performance.now() + deadlineMs;
    let last = 'not tried';
    let attempt = 0;
    while (attempt < maxAttempts && performance.now() < deadline && !this.closed) {
      attempt++;
      let owner = this.knownOwner(target);
      if (owner === null) {
        try {
          return await local.execute(command);
        } catch (error) {
          // Only "another relay owns this very document" sends it there; any other failure is the caller's, as in one process.
          if (!(error instanceof DocumentOwnedElsewhere) || error.docName !== target) throw error;
          owner = error.owner;
          this.rememberOwner(target, owner);
        }
      }
      const answer = await this.ask(owner, id, command, Math.min(attemptTimeoutMs, deadline - performance.now()));
      if (answer.status === 'done') return parseOutcome(answer.detail);
      if (answer.status === 'failed') throw new Error(`${command.kind} on ${target} failed on relay ${owner}: ${answer.detail}`);
      // The next attempt claims again, or learns the new owner.
      this.owners.delete(target);
      last = answer.status === 'timeout' ? `relay ${owner} did not answer` : `${answer.status} at relay ${owner}`;
      this.options.log.warn('a command is tried again', { kind: command.kind, doc: target, owner, attempt, why: answer.status });
      // "Moved" or unreachable come back at once: a short pause, growing, so the attempts span the time a takeover takes.
      if (answer.status !== 'timeout') await pause(Math.min(50 * 2 ** attempt, Math.max(0, deadline - performance.now())));
    }
    throw new CommandNotApplied(command, attempt, last);
  }

  /** Owner side: a message in this relay's lease inbox about a command. */
  readonly handle = (message: InboxMessage): void => {
    if (message.kind !== 'command') return;
    const command = parseCommand(message.command);
    if (!command) {
      // Answered, so its sender fails now rather than after every attempt timed out.
      this.options.log.warn('owner: a command that does not parse was refused', { id: message.id });
      this.answer(message, 'failed', 'not a command');
      return;
    }
    this.forget(performance.now());
    let entry = this.ran.get(message.id);
    if (!entry) {
      const outcome = this.options.local.execute(command);
      entry = { outcome, at: performance.now() };
      this.ran.set(message.id, entry);
      // Only what was stored is remembered: a failed or moved command may be tried again, here or elsewhere.
      outcome.catch(() => this.ran.delete(message.id));
    }
    entry.outcome.then(
      (outcome) => this.answer(message, 'done', JSON.stringify(outcome)),
      (error: unknown) =>
        error instanceof DocumentOwnedElsewhere && error.docName === targetOf(command)
          ? this.answer(message, 'moved', error.owner)
          : this.answer(message, 'failed', String(error)),
    );
  };

  /** Sender side: an owner's answer in this relay's own inbox. */
  readonly answered = (message: InboxMessage): void => {
    if (message.kind !== 'command-done') return;
    const waiter = this.waiting.get(message.id);
    if (!waiter) return;
    this.waiting.delete(message.id);
    clearTimeout(waiter.timer);
    waiter.resolve({ status: message.status, detail: message.detail });
  };

  /** Stops trying: commands waiting now end as unanswered (server shutdown). */
  close(): void {
    this.closed = true;
    for (const [id, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.resolve({ status: 'unreachable', detail: 'server shutting down' });
      this.waiting.delete(id);
    }
  }

  /** The owner a claim named lately (within half an attempt), or null: then claim, which also tells who owns it now. */
  private knownOwner(docName: string): string | null {
    const known = this.owners.get(docName);
    if (!known) return null;
    if (performance.now() - known.at < this.options.attemptTimeoutMs / 2) return known.owner;
    this.owners.delete(docName);
    return null;
  }

  private rememberOwner(docName: string, owner: string): void {
    this.owners.delete(docName);
    this.owners.set(docName, { owner, at: performance.now() });
    for (const name of this.owners.keys()) {
      if (this.owners.size <= OWNERS_AT_MOST) break;
      this.owners.delete(name);
    }
  }

  private ask(owner: string, id: string, command: DocumentCommand, timeoutMs: number): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.waiting.delete(id);
          resolve({ status: 'timeout' });
        },
        Math.max(0, timeoutMs),
      );
      timer.unref();
      this.waiting.set(id, { resolve, timer });
      const message: InboxMessage = { kind: 'command', id, replyTo: this.options.replyTo, command: JSON.stringify(command) };
      this.options.bus.publish(relayInbox(owner), message).catch((error: unknown) => {
        if (this.waiting.get(id)?.timer !== timer) return;
        this.waiting.delete(id);
        clearTimeout(timer);
        resolve({ status: 'unreachable', detail: String(error) });
      });
    });
  }

  private answer(to: Extract<InboxMessage, { kind: 'command' }>, status: CommandStatus, detail: string): void {
    const message: InboxMessage = { kind: 'command-done', id: to.id, status, detail };
    this.options.bus.publish(relayInbox(to.replyTo), message).catch((error: unknown) => {
      // The sender tries again after its timeout; the id is remembered, so it is answered, not run twice.
      this.options.log.warn('owner: answering a command failed', { id: to.id, error: String(error) });
    });
  }

  /** Drops remembered ids that are too old or too many (the map keeps insertion order: oldest first). */
  private forget(now: number): void {
    for (const [id, entry] of this.ran) {
      if (this.ran.size <= REMEMBER_AT_MOST && now - entry.at < REMEMBER_MS) break;
      this.ran.delete(id);
    }
  }
}

function parseOutcome(detail: string): CommandOutcome {
  try {
    const value: unknown = JSON.parse(detail);
    return value && typeof value === 'object' ? (value as CommandOutcome) : {};
  } catch {
    return {};
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
