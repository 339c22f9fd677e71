/**
 * The PostgreSQL search index's runs (`search_runs`, migrations/034_search_runs.sql) as the runs reader of
 * newest-postings.ts sees LevelDB's: keys in order, both ways, from a bound, read a page per statement (keyset on the
 * primary key). So both engines read a term's postings newest first by one piece of code.
 */
import type pg from 'pg';
import type { PostingRuns } from './newest-postings.js';

/**
 * Rows the first statement of a read takes at least; each next one takes twice as many, up to `MAX_PAGE`: a query
 * that stops early reads little, one that reads to the scan limit (20,000 postings, ~10,000 runs on chat) does it in
 * about ten round trips, not one per 64 runs.
 */
const MIN_PAGE = 64;
const MAX_PAGE = 2_048;

interface Range {
  gte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

/** One range read of `search_runs`, in key order or its reverse. */
class RunRows<T> {
  private buffer: Array<{ key: string; postings: string }> = [];
  private at = 0;
  /** The next statement starts here: after the last key read, or at a seek's target. */
  private from: { key: string; inclusive: boolean } | null = null;
  private remaining: number;
  private done = false;
  private page = MIN_PAGE;

  constructor(
    private readonly pool: pg.Pool,
    private readonly range: Range,
    private readonly shape: (row: { key: string; postings: string }) => T,
  ) {
    this.remaining = range.limit ?? Number.POSITIVE_INFINITY;
  }

  async nextv(size: number): Promise<T[]> {
    const out: T[] = [];
    while (out.length < size && this.remaining > 0) {
      if (this.at === this.buffer.length) {
        if (this.done) break;
        await this.read(Math.max(size - out.length, this.page));
        this.page = Math.min(this.page * 2, MAX_PAGE);
        if (this.buffer.length === 0) break;
      }
      out.push(this.shape(this.buffer[this.at++]));
      this.remaining--;
    }
    return out;
  }

  /** As LevelDB's: the next key read is the first at or past `target` in the read's direction. */
  seek(target: string): void {
    this.from = { key: target, inclusive: true };
    this.buffer = [];
    this.at = 0;
    this.done = false;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async read(count: number): Promise<void> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions: string[] = [];
    if (this.range.gte !== undefined) conditions.push(`key >= ${param(this.range.gte)}`);
    if (this.range.lt !== undefined) conditions.push(`key < ${param(this.range.lt)}`);
    if (this.from) {
      const op = this.range.reverse ? (this.from.inclusive ? '<=' : '<') : this.from.inclusive ? '>=' : '>';
      conditions.push(`key ${op} ${param(this.from.key)}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.pool.query<{ key: string; postings: string }>(
      `SELECT key, postings FROM search_runs ${where} ORDER BY key ${this.range.reverse ? 'DESC' : 'ASC'} LIMIT ${param(count)}`,
      params,
    );
    this.buffer = rows;
    this.at = 0;
    if (rows.length < count) this.done = true;
    if (rows.length > 0) this.from = { key: rows[rows.length - 1].key, inclusive: false };
  }
}

/** `search_runs` for the runs reader (newest-postings.ts). */
export class PostgresPostingRuns implements PostingRuns {
  constructor(private readonly pool: pg.Pool) {}

  keys(range: Range): RunRows<string> {
    return new RunRows(this.pool, range, (row) => row.key);
  }

  iterator(range: Range): RunRows<[string, string]> {
    return new RunRows(this.pool, range, (row) => [row.key, row.postings]);
  }
}
