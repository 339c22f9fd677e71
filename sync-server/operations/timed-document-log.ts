/**
 * A document log (store/document-log.ts) that times each append for the
 * commit latency histogram: the time between a room handing over a batch and
 * the store saying it is durable, which every member waits for before they
 * see a message (write-before-broadcast). It wraps whichever log the server
 * uses (LevelDB, PostgreSQL), so neither knows about metrics.
 */
import { performance } from 'node:perf_hooks';
import type { AppendOutcome, DocumentLog, LogBatch, StoredDoc } from '../store/document-log.js';
import type { CommitOutcome } from './server-metrics.js';

export interface CommitTimer {
  committed(outcome: CommitOutcome, seconds: number): void;
}

export class TimedDocumentLog implements DocumentLog {
  constructor(
    private readonly inner: DocumentLog,
    private readonly timer: CommitTimer,
  ) {}

  get writable(): boolean {
    return this.inner.writable;
  }

  get remote(): boolean | undefined {
    return this.inner.remote;
  }

  load(docName: string): Promise<StoredDoc> {
    return this.inner.load(docName);
  }

  /** Not an async function: its suspended state was part of every batch's garbage (docs/PERFORMANCE.md, issue 11, session 15). */
  append(docName: string, batch: LogBatch, expectedNextClock: number): Promise<AppendOutcome> {
    const started = performance.now();
    const timed = (outcome: CommitOutcome) => this.timer.committed(outcome, (performance.now() - started) / 1000);
    let appending: Promise<AppendOutcome>;
    try {
      appending = this.inner.append(docName, batch, expectedNextClock);
    } catch (error) {
      timed('error');
      return Promise.reject(error);
    }
    return appending.then(
      (appended) => {
        timed(appended.stored ? 'stored' : 'refused');
        return appended;
      },
      (error: unknown) => {
        timed('error');
        throw error;
      },
    );
  }

  compact(docName: string, uptoClock: number, merged: Uint8Array): Promise<void> {
    return this.inner.compact(docName, uptoClock, merged);
  }
}
