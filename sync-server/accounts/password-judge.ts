/**
 * The server's password judge: zxcvbn in a worker thread, started at the
 * first password to judge and ended after a minute without one. zxcvbn's
 * dictionaries take ~24 MiB of V8 heap once loaded and ranked (11 MiB the
 * modules' word lists, 13 MiB the ranked dictionaries); in the relay's own
 * heap they were half of what every full collection marked, for a judge
 * used at sign-up and password changes only (docs/PERFORMANCE.md, issue 14,
 * session 14). A worker has a heap of its own, which it gives back when it
 * ends.
 *
 * The worker is plain CommonJS given as text (`eval`), requiring the
 * packages by the paths this module resolves: the server runs from tsx and
 * from a one-file build (build-server.ts), and neither has a worker file
 * of ours to start. It builds zxcvbn exactly as shared/password-strength.ts
 * does (same translations, graphs and dictionaries; password-judge.test.ts
 * holds the two to the same verdicts); the verdict itself is
 * shared/password-verdict.ts's, on this side.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { estimatorInput, type GuessEstimate, type PasswordVerdict, verdictByLength, verdictOf } from '../../shared/password-verdict.js';

/** How long an idle worker (and its dictionaries) stays: long enough for a form's retries, short enough to give the heap back. */
const IDLE_MS = 60_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const english = require(workerData.english);
const judge = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});
parentPort.on('message', ({ id, password, personalWords }) => {
  try {
    const { score, feedback } = judge.check(password, personalWords);
    parentPort.postMessage({ id, estimate: { score, feedback: { warning: feedback.warning, suggestions: feedback.suggestions } } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

type Reply = { id: number; estimate: GuessEstimate } | { id: number; error: string };

interface Pending {
  resolve: (estimate: GuessEstimate) => void;
  reject: (error: Error) => void;
}

export class PasswordJudge {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = IDLE_MS) {}

  /**
   * Judges `password`; `personal` are words of the person's own (their name,
   * their email) that make a password easy to guess for someone who knows them.
   */
  async judge(password: string, personal: readonly string[] = []): Promise<PasswordVerdict> {
    const byLength = verdictByLength(password);
    if (byLength) return byLength;
    return verdictOf(await this.estimate(estimatorInput(password, personal)));
  }

  /** Whether a worker (and its dictionaries) is alive now. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Ends the worker now (a server closing); a later `judge` starts another. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.forget(new Error('the password judge was closed'));
    await worker?.terminate();
  }

  private estimate(input: { password: string; personalWords: string[] }): Promise<GuessEstimate> {
    const worker = this.started();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    // Held while a verdict is awaited: an unreferenced worker alone would let the process end with the promise open.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...input });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        core: require.resolve('@zxcvbn-ts/core'),
        common: require.resolve('@zxcvbn-ts/language-common'),
        english: require.resolve('@zxcvbn-ts/language-en'),
      },
    });
    worker.on('message', (reply: Reply) => this.answer(reply));
    worker.on('error', (error) => {
      if (this.worker === worker) this.forget(error);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.forget(new Error(`the password worker exited with ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private answer(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(`judging a password failed: ${reply.error}`));
    else waiting.resolve(reply.estimate);
    if (this.pending.size === 0) this.endWhenIdle();
  }

  private endWhenIdle(): void {
    const worker = this.worker;
    // A judge waiting for nothing must not keep the process (the admin command, a test) alive.
    worker?.unref();
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      this.idleTimer = null;
      void worker?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Drops the worker and fails what waited on it; the next `judge` starts a new one. */
  private forget(error: Error): void {
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** The process's judge: one worker at most, whoever asks (registration, reset, settings, the admin command). */
export const passwordJudge = new PasswordJudge();
