/**
 * What the server's search needs of its index, whichever engine keeps it:
 * LevelDB in the embedded app (message-index-store.ts), PostgreSQL full text
 * in a cluster (postgres-message-index.ts), so every relay searches the same
 * index. Both are run against one contract (message-index.contract.ts).
 */
import type { QueryTerm } from '../../shared/search-tokens.js';

/**
 * Bumped when the terms of a text or an index's layout change: documents are then indexed again as they load.
 * 2: LevelDB's postings keyed by term and time (message-index-store.ts), PostgreSQL's in a table of their own.
 */
export const INDEX_VERSION = 2;
/** Postings one query may read: two common words that never meet, or a one-letter prefix, stop here, keeping a query's cost bounded. */
export const TERM_SCAN_LIMIT = 20_000;

/**
 * When a query stops at `TERM_SCAN_LIMIT` short of a page and the asker is
 * in at most this many conversations (a search inside one, or a person in
 * a few quiet ones under a word busy elsewhere), their records are read
 * instead, up to `RECORD_SCAN_LIMIT` of them: the newest postings of a
 * common word may all be other conversations' (issue 18).
 */
export const FEW_CONVERSATIONS = 8;
export const RECORD_SCAN_LIMIT = 50_000;

/** Bounds of a query's reads (tests set them small). */
export interface ScanLimits {
  termScanLimit?: number;
  recordScanLimit?: number;
}

/** A message as the index keeps it. */
export interface IndexedMessage {
  messageId: string;
  author: string;
  text: string;
  createdAt: number;
  seq: number;
  terms: string[];
}

/** One conversation's part of an index write: messages to (re)index and ids to take out. */
export interface IndexChange {
  conversationId: string;
  put: readonly IndexedMessage[];
  remove: readonly string[];
  /** Ids of `put` the index is known to hold no record of (new messages): their old record is not read. */
  unindexed?: ReadonlySet<string>;
}

/**
 * How far into a document's log the index is known to hold every stored
 * change: every batch stored below `nextClock` (the log clock after it) is
 * indexed. Written with the index write that made it true, so after a crash
 * a document whose log went further is indexed again whole when it loads
 * (search-indexer.ts): a message stored but not yet indexed is never lost.
 */
export interface IndexedThrough {
  docName: string;
  nextClock: number;
}

/** A message holding every term of a query. */
export interface IndexCandidate {
  conversationId: string;
  messageId: string;
  createdAt: number;
}

export interface MessageIndex {
  /** Whether the document (a conversation or one of its segments) was indexed whole at this version. */
  isCurrent(docName: string): Promise<boolean>;
  /** The document was indexed whole, through `nextClock` of its log (`IndexedThrough`). */
  markCurrent(docName: string, nextClock?: number): Promise<void>;
  /**
   * The log clock below which every stored change of the document is indexed
   * (`IndexedThrough`); null when not known, and the document is then indexed
   * again whole when it loads.
   */
  indexedThrough(docName: string): Promise<number | null>;
  /** The document's index may lack messages: it is indexed whole when it next loads (unless marked current again first). */
  markStale(docName: string): Promise<void>;
  /** Puts these messages in (replacing what they were indexed as) and takes these ids out, atomically. */
  apply(conversationId: string, put: readonly IndexedMessage[], remove: readonly string[]): Promise<void>;
  /** `apply` for several conversations at once, atomically, with how far each document is now indexed (`IndexedThrough`). */
  applyAll(changes: readonly IndexChange[], through?: readonly IndexedThrough[]): Promise<void>;
  /**
   * Messages of these conversations holding every term (a `prefix` term
   * matches every term it begins), newest first, at most `limit`. Nothing
   * outside `conversationIds` is read: they are the asker's conversations.
   */
  candidates(conversationIds: readonly string[], wanted: readonly QueryTerm[], limit: number): Promise<IndexCandidate[]>;
  /** The records of these messages of one conversation (missing ones left out). */
  records(conversationId: string, messageIds: readonly string[]): Promise<IndexedMessage[]>;
}

/** Newest first; equal times by id, so every engine orders ties alike. */
export function newestFirst(a: IndexCandidate, b: IndexCandidate): number {
  return b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : 0);
}

/**
 * The term a query reads the postings of (the others are checked on each candidate's record): an exact one
 * (a CJK pair, usually rarer than a word), else the longest.
 */
export function drivingTerm(wanted: readonly QueryTerm[]): QueryTerm {
  return [...wanted].sort((a, b) => Number(a.prefix) - Number(b.prefix) || b.term.length - a.term.length)[0];
}

/** Whether a message's terms hold a query term (a prefix term: some term begins with it). */
export function holds(terms: readonly string[], { term, prefix }: QueryTerm): boolean {
  return prefix ? terms.some((held) => held.startsWith(term)) : terms.includes(term);
}
