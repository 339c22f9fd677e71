/**
 * Which waiting jobs a room takes into its next batch: one person's burst
 * is spread over several batches, a connection's jobs keep their order, the
 * server's own jobs are never held back.
 */
import { describe, expect, it } from 'vitest';
import { takeFairBatch, type JobCost } from './fair-batch.js';

interface TestJob {
  name: string;
  from: { identity: { userId: string; sessionId: string } } | null;
  bytes: number;
}

const mallorysFirst = { identity: { userId: 'mallory', sessionId: 's1' } };
const mallorysSecond = { identity: { userId: 'mallory', sessionId: 's2' } };
const alices = { identity: { userId: 'alice', sessionId: 's3' } };
const costOf = (job: TestJob): JobCost => (job.from ? { connection: job.from, bytes: job.bytes } : null);
const names = (jobs: TestJob[]) => jobs.map((job) => job.name);

describe('takeFairBatch', () => {
  it("takes another member's update from behind one person's burst", () => {
    const burst = Array.from(
      { length: 10 },
      (_, i): TestJob => ({ name: `m${i}`, from: i % 2 ? mallorysSecond : mallorysFirst, bytes: 9000 }),
    );
    const inbox = [...burst, { name: 'alice', from: alices, bytes: 200 }, { name: 'server', from: null, bytes: 0 }];
    const { now, later } = takeFairBatch(inbox, costOf, 30_000);
    expect(names(now)).toEqual(['m0', 'm1', 'm2', 'alice', 'server']);
    expect(names(later)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });

  it('keeps a connection in order: after one of its jobs waits, its later small ones wait too', () => {
    const inbox: TestJob[] = [
      { name: 'big', from: mallorysFirst, bytes: 20_000 },
      { name: 'bigger', from: mallorysFirst, bytes: 20_000 },
      { name: 'small', from: mallorysFirst, bytes: 10 },
    ];
    expect(names(takeFairBatch(inbox, costOf, 30_000).now)).toEqual(['big']);
  });

  it("always takes a person's first job, however large", () => {
    const inbox: TestJob[] = [{ name: 'backlog', from: alices, bytes: 5_000_000 }];
    expect(names(takeFairBatch(inbox, costOf, 30_000).now)).toEqual(['backlog']);
  });
});
