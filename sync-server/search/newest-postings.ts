/**
 * Reads the LevelDB search index's postings (message-index-store.ts) newest
 * first: one term's, or every term a prefix begins, merged. A term's
 * postings are kept in runs (issue 14, session 8: one key per message and
 * term cost LevelDB more than the document log): one key per term and
 * index write, `term!time!runId`, whose value lists the postings of the
 * write's messages holding the term as `time!conversationId!messageId`
 * joined by `;`, and whose time is the newest message's of the run (of the
 * whole group of messages it was written for). No posting of a run is newer
 * than its key, so reading a term's runs backwards and holding back each
 * posting until no unread run can hold a newer one yields them newest
 * first, and a query stops as soon as it has its page of hits instead of
 * reading every match (issue 18: a person in 500 conversations paid a range
 * read per conversation and term).
 */
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

/** A posting: one message holding a term. */
export interface Posting {
  createdAt: number;
  conversationId: string;
  messageId: string;
}

/** What this reader needs of the runs sublevel (its keys and entries, in both directions, with seek). */
export interface PostingRuns {
  keys(options: { gte?: string; lt?: string; reverse?: boolean; limit?: number }): RunIterator<string>;
  iterator(options: { gte?: string; lt?: string; reverse?: boolean; limit?: number }): RunIterator<[string, string]>;
}

interface RunIterator<T> {
  nextv(size: number): Promise<T[]>;
  seek(target: string): void;
  close(): Promise<void>;
}

/** Times are written with this many digits, so keys sort in time order (any millisecond time until year 318,857). */
const TIME_WIDTH = 16;
/** Runs a term's iterator reads at once. */
const BATCH = 64;
/** Separator of the postings in a run's value (ids and times never hold it). */
const POSTING_SEPARATOR = ';';
/** Terms a prefix may stand for before it is read as one range instead (a one-letter prefix begins thousands). */
export const MAX_PREFIX_TERMS = 64;

/** A time as keys hold it: zero-padded, so the greater string is the later time. */
export function keyTime(createdAt: number): string {
  return String(createdAt).padStart(TIME_WIDTH, '0');
}

/** The key of one run: a term's postings in one group of messages whose newest is `newest` (`runId` unique to the group). */
export function runKey(term: string, run: string): string {
  return compositeKey(term, run);
}

/** A group's part of its runs' keys: its newest message's time and an id of its own. */
export function runOf(newest: number, runId: string): string {
  return compositeKey(keyTime(newest), runId);
}

/** One posting as a run's value lists it. */
export function postingEntry(createdAt: number, conversationId: string, messageId: string): string {
  return compositeKey(keyTime(createdAt), conversationId, messageId);
}

/** A run's value from its postings. */
export function joinPostings(entries: readonly string[]): string {
  return entries.join(POSTING_SEPARATOR);
}

/** A run's postings (`postingEntry`) from its value. */
export function splitPostings(value: string): string[] {
  return value === '' ? [] : value.split(POSTING_SEPARATOR);
}

/** `time!conversationId!messageId` (ids never hold the separator). */
function postingOf(entry: string): Posting {
  const [time, conversationId, messageId] = entry.split('!');
  return { createdAt: Number(time), conversationId, messageId };
}

const newestEntryFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** The terms in the index that begin with `prefix`, at most `max`; null when there are more. */
export async function termsStartingWith(level: PostingRuns, prefix: string, max = MAX_PREFIX_TERMS): Promise<string[] | null> {
  const iterator = level.keys(prefixRange(prefix));
  const terms: string[] = [];
  try {
    for (;;) {
      const [key] = await iterator.nextv(1);
      if (key === undefined) return terms;
      const term = key.slice(0, key.indexOf('!'));
      if (terms.length === max) return null;
      terms.push(term);
      // Past this term's runs: straight to the next term.
      const past = prefixRange(keyPrefix(term)).lt;
      if (past === undefined) return terms;
      iterator.seek(past);
    }
  } finally {
    await iterator.close();
  }
}

/** One term's postings, newest first: its runs read backwards, each posting held until no unread run can be newer. */
class TermStream {
  /** Postings read and not taken, newest first. */
  private held: string[] = [];
  private at = 0;
  private runs: Array<[string, string]> = [];
  private runAt = 0;
  private done = false;
  private readonly skip: number;
  private readonly iterator: RunIterator<[string, string]>;

  constructor(level: PostingRuns, term: string) {
    const prefix = keyPrefix(term);
    this.skip = prefix.length;
    this.iterator = level.iterator({ ...prefixRange(prefix), reverse: true });
  }

  /** The time of the next unread run (no unread posting is newer); undefined when none is left. */
  private async nextRunTime(): Promise<string | undefined> {
    if (this.runAt === this.runs.length && !this.done) {
      this.runs = await this.iterator.nextv(BATCH);
      this.runAt = 0;
      if (this.runs.length === 0) this.done = true;
    }
    return this.done ? undefined : this.runs[this.runAt][0].slice(this.skip, this.skip + TIME_WIDTH);
  }

  /** The newest posting not taken yet, as `time!conversationId!messageId`; undefined at the end. */
  async head(): Promise<string | undefined> {
    for (;;) {
      const runTime = await this.nextRunTime();
      const newest = this.held[this.at];
      // Equal times: the unread run may hold a posting of that time that sorts first.
      if (runTime === undefined || (newest !== undefined && newest.slice(0, TIME_WIDTH) > runTime)) return newest;
      const [, value] = this.runs[this.runAt++];
      this.held = [...this.held.slice(this.at), ...splitPostings(value)].sort(newestEntryFirst);
      this.at = 0;
    }
  }

  take(): void {
    this.at++;
  }

  close(): Promise<void> {
    return this.iterator.close();
  }
}

/** Postings of several terms merged newest first (a prefix's terms). */
export class NewestPostings {
  private readonly streams: TermStream[];

  constructor(level: PostingRuns, terms: readonly string[]) {
    this.streams = terms.map((term) => new TermStream(level, term));
  }

  /** The next (up to) `count` postings, newest first; empty at the end. */
  async next(count: number): Promise<Posting[]> {
    const out: Posting[] = [];
    while (out.length < count) {
      let newest: TermStream | undefined;
      let newestEntry = '';
      for (const stream of this.streams) {
        const entry = await stream.head();
        // Fixed-width times: the greater string is the newer posting.
        if (entry !== undefined && (newest === undefined || entry > newestEntry)) {
          newest = stream;
          newestEntry = entry;
        }
      }
      if (!newest) break;
      newest.take();
      out.push(postingOf(newestEntry));
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((stream) => stream.close()));
  }
}

/**
 * Postings under `prefix` (each term it begins) up to `limit` of them,
 * newest first: for a prefix that begins more than `MAX_PREFIX_TERMS` terms,
 * whose postings cannot be merged term by term at a bounded cost.
 */
export async function boundedPrefixPostings(level: PostingRuns, prefix: string, limit: number): Promise<Posting[]> {
  const iterator = level.iterator(prefixRange(prefix));
  try {
    const entries: string[] = [];
    while (entries.length < limit) {
      const runs = await iterator.nextv(BATCH);
      if (runs.length === 0) break;
      for (const [, value] of runs) entries.push(...splitPostings(value));
    }
    return entries.sort(newestEntryFirst).slice(0, limit).map(postingOf);
  } finally {
    await iterator.close();
  }
}

/** How many postings a scan hands over at once: `first`, then `growth` times more each time, up to `max`. */
export interface ScanBatches {
  first: number;
  growth: number;
  max: number;
}

/**
 * A query's scan of its driving term, shared by both engines: hands `keep`
 * the postings of `terms` newest first in growing batches (or, when `terms`
 * is null, a prefix beginning too many terms, `prefix`'s postings up to the
 * bound, sorted, in batches of `first`) until `enough()` or `scanLimit`
 * postings are read. True when it stopped at the bound rather than at the
 * end of the postings or at `enough()`.
 */
export async function scanNewestPostings(
  runs: PostingRuns,
  scan: { terms: readonly string[] | null; prefix: string; scanLimit: number; batches: ScanBatches },
  keep: (postings: readonly Posting[]) => Promise<void>,
  enough: () => boolean,
): Promise<boolean> {
  const { terms, prefix, scanLimit, batches } = scan;
  if (terms === null) {
    const postings = await boundedPrefixPostings(runs, prefix, scanLimit);
    for (let at = 0; at < postings.length && !enough(); at += batches.first) await keep(postings.slice(at, at + batches.first));
    return postings.length === scanLimit;
  }
  if (terms.length === 0) return false;
  const reader = new NewestPostings(runs, terms);
  try {
    for (let read = 0, batch = batches.first; !enough(); batch = Math.min(batch * batches.growth, batches.max)) {
      if (read >= scanLimit) return true;
      const postings = await reader.next(Math.min(batch, scanLimit - read));
      if (postings.length === 0) return false;
      read += postings.length;
      await keep(postings);
    }
    return false;
  } finally {
    await reader.close();
  }
}
