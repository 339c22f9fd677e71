/**
 * Reads the LevelDB search index's postings (message-index-store.ts) newest
 * first: one term's, or every term a prefix begins, merged. A posting's key
 * is `term!time!conversationId!messageId` with the time zero-padded, so one
 * term's postings read backwards are newest first, and a query stops as
 * soon as it has its page of hits instead of reading every match (issue 18:
 * a person in 500 conversations paid a range read per conversation and term).
 */
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';

/** A posting: one message holding a term. */
export interface Posting {
  createdAt: number;
  conversationId: string;
  messageId: string;
}

/** What this reader needs of the postings sublevel (its keys, in both directions, with seek). */
export interface PostingKeys {
  keys(options: { gte?: string; lt?: string; reverse?: boolean; limit?: number }): PostingKeyIterator;
}

interface PostingKeyIterator {
  nextv(size: number): Promise<string[]>;
  seek(target: string): void;
  close(): Promise<void>;
}

/** Times are written with this many digits, so keys sort in time order (any millisecond time until year 318,857). */
const TIME_WIDTH = 16;
/** Keys a term's iterator reads at once. */
const BATCH = 256;
/** Terms a prefix may stand for before it is read as one range instead (a one-letter prefix begins thousands). */
export const MAX_PREFIX_TERMS = 64;

/** The key of one posting. */
export function postingKey(term: string, createdAt: number, conversationId: string, messageId: string): string {
  return compositeKey(term, String(createdAt).padStart(TIME_WIDTH, '0'), conversationId, messageId);
}

/** `time!conversationId!messageId`, the part after the term (ids never hold the separator). */
function postingOf(suffix: string): Posting {
  const [time, conversationId, messageId] = suffix.split('!');
  return { createdAt: Number(time), conversationId, messageId };
}

/** The terms in the index that begin with `prefix`, at most `max`; null when there are more. */
export async function termsStartingWith(level: PostingKeys, prefix: string, max = MAX_PREFIX_TERMS): Promise<string[] | null> {
  const iterator = level.keys(prefixRange(prefix));
  const terms: string[] = [];
  try {
    for (;;) {
      const [key] = await iterator.nextv(1);
      if (key === undefined) return terms;
      const term = key.slice(0, key.indexOf('!'));
      if (terms.length === max) return null;
      terms.push(term);
      // Past this term's postings: straight to the next term.
      const past = prefixRange(keyPrefix(term)).lt;
      if (past === undefined) return terms;
      iterator.seek(past);
    }
  } finally {
    await iterator.close();
  }
}

/** One term's postings, newest first, a batch at a time. */
class TermStream {
  private buffer: string[] = [];
  private at = 0;
  private done = false;
  private readonly skip: number;
  private readonly iterator: PostingKeyIterator;

  constructor(level: PostingKeys, term: string) {
    const prefix = keyPrefix(term);
    this.skip = prefix.length;
    this.iterator = level.keys({ ...prefixRange(prefix), reverse: true });
  }

  /** The newest posting not taken yet, as `time!conversationId!messageId`; undefined at the end. */
  async head(): Promise<string | undefined> {
    if (this.at === this.buffer.length && !this.done) {
      this.buffer = await this.iterator.nextv(BATCH);
      this.at = 0;
      if (this.buffer.length === 0) this.done = true;
    }
    return this.done ? undefined : this.buffer[this.at].slice(this.skip);
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

  constructor(level: PostingKeys, terms: readonly string[]) {
    this.streams = terms.map((term) => new TermStream(level, term));
  }

  /** The next (up to) `count` postings, newest first; empty at the end. */
  async next(count: number): Promise<Posting[]> {
    const out: Posting[] = [];
    while (out.length < count) {
      let newest: TermStream | undefined;
      let newestSuffix = '';
      for (const stream of this.streams) {
        const suffix = await stream.head();
        // Fixed-width times: the greater string is the newer posting.
        if (suffix !== undefined && (newest === undefined || suffix > newestSuffix)) {
          newest = stream;
          newestSuffix = suffix;
        }
      }
      if (!newest) break;
      newest.take();
      out.push(postingOf(newestSuffix));
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((stream) => stream.close()));
  }
}

/**
 * Every posting under `prefix` (each term it begins) up to `limit` keys,
 * newest first: for a prefix that begins more than `MAX_PREFIX_TERMS` terms,
 * whose postings cannot be merged term by term at a bounded cost.
 */
export async function boundedPrefixPostings(level: PostingKeys, prefix: string, limit: number): Promise<Posting[]> {
  const iterator = level.keys({ ...prefixRange(prefix), limit });
  try {
    const suffixes: string[] = [];
    for (;;) {
      const keys = await iterator.nextv(BATCH * 4);
      if (keys.length === 0) break;
      for (const key of keys) suffixes.push(key.slice(key.indexOf('!') + 1));
    }
    return suffixes.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).map(postingOf);
  } finally {
    await iterator.close();
  }
}
