/**
 * The commit timer around the document log (timed-document-log.ts): each
 * append is recorded once with its outcome, and the caller gets exactly what
 * the inner log gave, a failure too. A log that throws instead of rejecting
 * still gives the caller a rejected promise, never a throw in its turn (as
 * when `append` was an async function).
 */
import { expect, it } from 'vitest';
import type { AppendOutcome, DocumentLog, LogBatch } from '../store/document-log.js';
import { MemoryDocumentLog } from '../store/memory-document-log.js';
import type { CommitOutcome } from './server-metrics.js';
import { TimedDocumentLog } from './timed-document-log.js';

const batch: LogBatch = { updates: [new Uint8Array([0, 0])], clientOwners: [] };

function timed(inner: DocumentLog): { log: TimedDocumentLog; recorded: Array<{ outcome: CommitOutcome; seconds: number }> } {
  const recorded: Array<{ outcome: CommitOutcome; seconds: number }> = [];
  return { log: new TimedDocumentLog(inner, { committed: (outcome, seconds) => recorded.push({ outcome, seconds }) }), recorded };
}

it('records a stored and a refused append once each, and answers with the inner outcome', async () => {
  const { log, recorded } = timed(new MemoryDocumentLog());
  await log.load('doc');
  expect(await log.append('doc', batch, 0)).toEqual({ stored: true });
  const refused = await log.append('doc', batch, 0);
  expect(refused).toMatchObject({ stored: false, nextClock: 1 });
  expect(recorded.map((entry) => entry.outcome)).toEqual(['stored', 'refused']);
  for (const { seconds } of recorded) expect(seconds).toBeGreaterThanOrEqual(0);
});

it('records an error and rejects with it, whether the inner log rejects or throws at once', async () => {
  const failure = new Error('disk gone');
  const rejecting = timed({ ...new MemoryDocumentLog(), writable: true, append: () => Promise.reject(failure) } as unknown as DocumentLog);
  await expect(rejecting.log.append('doc', batch, 0)).rejects.toBe(failure);
  expect(rejecting.recorded.map((entry) => entry.outcome)).toEqual(['error']);

  const throwing = timed({
    writable: true,
    append(): Promise<AppendOutcome> {
      throw failure;
    },
  } as unknown as DocumentLog);
  let appending: Promise<AppendOutcome> | undefined;
  expect(() => {
    appending = throwing.log.append('doc', batch, 0);
  }).not.toThrow();
  await expect(appending).rejects.toBe(failure);
  expect(throwing.recorded.map((entry) => entry.outcome)).toEqual(['error']);
});
