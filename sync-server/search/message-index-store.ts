/**
 * The server's search index in LevelDB (the embedded app): an inverted index
 * keyed by term, each term's postings in time order (newest-postings.ts), so
 * a query reads the newest postings of one term across every conversation
 * and stops at a page of hits, whatever the number of conversations the
 * person is in (issue 18).
 *
 * - `searchRuns`: `term!time!runId` → the postings of one index write's
 *   messages (a group of at most `RUN_MESSAGES`, `time` its newest) holding
 *   the term, `time!convId!messageId` joined by `;` (newest-postings.ts);
 *   terms never hold `!`. A prefix query reads the terms it begins, merged
 *   newest first. One key per term and write instead of one per term and
 *   message (issue 14, session 8: ~10 keys per message cost LevelDB more
 *   CPU than the document log's own write).
 * - `searchMessages`: `convId!messageId` → what a hit shows (text, author,
 *   time, seq), the terms it was indexed under and the run holding its
 *   postings (`time!runId`), so an edit or delete takes exactly those
 *   postings out of their runs, and a query checks its other terms here.
 *   A deleted message has no record and no postings.
 * - `searchPostings`: the layout before runs (`term!time!convId!messageId`
 *   → '', one key per posting), turned into runs at start
 *   (`migratePostingsToRuns`) and emptied.
 * - `searchConversations`: document name (`conv/<id>`, or a history
 *   segment's `conv/<id>~<n>`) → the index version it was fully indexed at;
 *   a document without it (stored before search existed, or indexed in an
 *   older layout) is indexed whole when it next loads.
 * - `searchClocks`: document name → the log clock below which every stored
 *   change is indexed (`IndexedThrough`), written in the same batch as the
 *   index write that made it true; a document whose log is further on when
 *   it loads (the process died between a stored batch and its index write)
 *   is indexed whole again.
 *
 * Only the asker's conversations are ever answered: a posting names its
 * conversation, and a posting of any other conversation is dropped before
 * its record is read (docs/SECURITY.md, "Search").
 */
import type { BatchOperation as LevelBatchOperation } from 'level';
import type { QueryTerm } from '../../shared/search-tokens.js';
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';
import {
  INDEX_VERSION,
  type IndexCandidate,
  type IndexChange,
  type IndexedMessage,
  type IndexedThrough,
  type MessageIndex,
  drivingTerm,
  FEW_CONVERSATIONS,
  holds,
  newestFirst,
  RECORD_SCAN_LIMIT,
  type ScanLimits,
  TERM_SCAN_LIMIT,
} from './message-index.js';
import { randomBytes } from 'node:crypto';
import {
  joinPostings,
  type Posting,
  postingEntry,
  runKey,
  runOf,
  scanNewestPostings,
  splitPostings,
  termsStartingWith,
} from './newest-postings.js';

export { INDEX_VERSION, TERM_SCAN_LIMIT, type IndexChange, type IndexedMessage } from './message-index.js';

/** A record: the message as a hit shows it, and the run its postings are in (`runOf`; absent before runs, and with no terms). */
type StoredMessage = Omit<IndexedMessage, 'messageId'> & { run?: string };

/** Postings read at once: a page of hits is usually inside the first batch or two. */
const READ_BATCH = 256;
/** The first layout (`searchTerms`: `convId!term!messageId`), emptied once the index is at version 2. */
const LEGACY_TERMS = 'searchTerms';
/** Most messages whose postings share a run: a whole indexing of a long conversation writes many runs, each a short value. */
export const RUN_MESSAGES = 64;
/** Records turned into runs per batch when a store of the layout before runs is migrated. */
const MIGRATE_BATCH = 1_000;

/** A write of the root's batch into either of the index's sublevels (the key and value encodings are the sublevel's). */
type BatchOperation = LevelBatchOperation<Database['root'], string, unknown>;

export class MessageIndexStore implements MessageIndex {
  private readonly runs;
  /** The layout before runs, read only to migrate it (`migratePostingsToRuns`). */
  private readonly postings;
  private readonly messages;
  /** Run ids are this store's prefix and a count: unique without a read (one process holds the store). */
  private readonly runPrefix = randomBytes(6).toString('base64url');
  private runCount = 0;
  private readonly conversations;
  private readonly clocks;

  private readonly termScanLimit: number;
  private readonly recordScanLimit: number;

  constructor(
    private readonly db: Database,
    { termScanLimit = TERM_SCAN_LIMIT, recordScanLimit = RECORD_SCAN_LIMIT }: ScanLimits = {},
  ) {
    this.termScanLimit = termScanLimit;
    this.recordScanLimit = recordScanLimit;
    // Made here, not in database.ts: the index is search's own, and the root reopens every sublevel made on it.
    this.runs = db.root.sublevel<string, string>('searchRuns', { valueEncoding: 'utf8' });
    this.postings = db.root.sublevel<string, string>('searchPostings', { valueEncoding: 'utf8' });
    this.messages = db.root.sublevel<string, StoredMessage>('searchMessages', { valueEncoding: 'json' });
    this.conversations = db.root.sublevel<string, number>('searchConversations', { valueEncoding: 'json' });
    this.clocks = db.root.sublevel<string, number>('searchClocks', { valueEncoding: 'json' });
  }

  /** Whether the document (a conversation or one of its segments) was indexed whole at this version. */
  async isCurrent(docName: string): Promise<boolean> {
    return (await this.conversations.get(docName)) === INDEX_VERSION;
  }

  async markCurrent(docName: string, nextClock?: number): Promise<void> {
    const batch: BatchOperation[] = [{ type: 'put', key: docName, value: INDEX_VERSION, sublevel: this.conversations }];
    if (nextClock !== undefined) batch.push({ type: 'put', key: docName, value: nextClock, sublevel: this.clocks });
    await this.db.root.batch(batch);
  }

  async indexedThrough(docName: string): Promise<number | null> {
    return (await this.clocks.get(docName)) ?? null;
  }

  /** The document's index may lack messages: it is indexed whole when it next loads (unless marked current again first). */
  async markStale(docName: string): Promise<void> {
    await this.conversations.del(docName);
  }

  /** Empties the first layout's terms (every document is indexed again as it loads, version 2). */
  async dropLegacyTerms(): Promise<void> {
    await this.db.root.sublevel(LEGACY_TERMS).clear();
  }

  /**
   * Puts these messages in (replacing what they were indexed as) and takes
   * these ids out, in one batch.
   */
  apply(conversationId: string, put: readonly IndexedMessage[], remove: readonly string[]): Promise<void> {
    return this.applyAll([{ conversationId, put, remove }]);
  }

  /**
   * `apply` for several conversations at once: one read of the old records
   * and one LevelDB batch for all (issue 14: a batch per message cost more
   * than the rest of the message's handling).
   */
  async applyAll(changes: readonly IndexChange[], through: readonly IndexedThrough[] = []): Promise<void> {
    // A new message has no record to read (reading them was ~5 % of the relay's main thread in the fan-in/out).
    const keys = changes.flatMap(({ conversationId, put, remove, unindexed }) =>
      [...put.flatMap((m) => (unindexed?.has(m.messageId) ? [] : [m.messageId])), ...remove].map((id) => compositeKey(conversationId, id)),
    );
    // An array batch: a chained one costs about twice as much CPU per key (abstract-level 3).
    const batch: BatchOperation[] = through.map(({ docName, nextClock }) => ({
      type: 'put',
      key: docName,
      value: nextClock,
      sublevel: this.clocks,
    }));
    if (keys.length === 0 && changes.every(({ put }) => put.length === 0)) {
      if (batch.length > 0) await this.db.root.batch(batch);
      return;
    }
    const before = keys.length === 0 ? [] : await this.messages.getMany(keys);
    const old = new Map(keys.map((key, i) => [key, before[i]]));
    // Postings leave their runs when their message is removed or indexed again (its new postings go to a new run).
    const leaving: Array<{ key: string; entry: string }> = [];
    const leave = (conversationId: string, messageId: string, previous: StoredMessage | undefined) => {
      if (previous?.run === undefined) return;
      const entry = postingEntry(previous.createdAt, conversationId, messageId);
      for (const term of previous.terms) leaving.push({ key: runKey(term, previous.run), entry });
    };
    // By record key: a message put twice in one write is in one run only (its record names one).
    const written = new Map<string, { conversationId: string; messageId: string; stored: StoredMessage }>();
    for (const { conversationId, put, remove } of changes) {
      for (const id of remove) {
        const previous = old.get(compositeKey(conversationId, id));
        if (!previous) continue;
        leave(conversationId, id, previous);
        batch.push({ type: 'del', key: compositeKey(conversationId, id), sublevel: this.messages });
      }
      for (const { messageId, ...stored } of put) {
        leave(conversationId, messageId, old.get(compositeKey(conversationId, messageId)));
        written.set(compositeKey(conversationId, messageId), { conversationId, messageId, stored });
      }
    }
    await this.takeOutOfRuns(leaving, batch);
    this.intoRuns([...written.values()], batch);
    await this.db.root.batch(batch);
  }

  /** Adds to `batch` the runs of these messages (groups of `RUN_MESSAGES` in time order) and their records naming them. */
  private intoRuns(messages: Array<{ conversationId: string; messageId: string; stored: StoredMessage }>, batch: BatchOperation[]): void {
    messages.sort((a, b) => a.stored.createdAt - b.stored.createdAt);
    for (let at = 0; at < messages.length; at += RUN_MESSAGES) {
      const group = messages.slice(at, at + RUN_MESSAGES);
      const run = runOf(group[group.length - 1].stored.createdAt, `${this.runPrefix}${(this.runCount++).toString(36)}`);
      const byTerm = new Map<string, string[]>();
      for (const { conversationId, messageId, stored } of group) {
        const entry = postingEntry(stored.createdAt, conversationId, messageId);
        for (const term of stored.terms) {
          const entries = byTerm.get(term);
          // A term twice in one message's terms lists it once; its entry would be the last one (no Set a message: issue 14).
          if (!entries) byTerm.set(term, [entry]);
          else if (entries[entries.length - 1] !== entry) entries.push(entry);
        }
        const { run: _old, ...record } = stored;
        batch.push({
          type: 'put',
          key: compositeKey(conversationId, messageId),
          value: stored.terms.length > 0 ? { ...record, run } : record,
          sublevel: this.messages,
        });
      }
      for (const [term, entries] of byTerm)
        batch.push({ type: 'put', key: runKey(term, run), value: joinPostings(entries), sublevel: this.runs });
    }
  }

  /** Adds to `batch` these postings' runs without them (a run left empty is deleted): edits and deletes, rare. */
  private async takeOutOfRuns(leaving: ReadonlyArray<{ key: string; entry: string }>, batch: BatchOperation[]): Promise<void> {
    if (leaving.length === 0) return;
    const keys = [...new Set(leaving.map(({ key }) => key))];
    const values = await this.runs.getMany(keys);
    const runs = new Map(keys.map((key, i) => [key, new Set(splitPostings(values[i] ?? ''))]));
    for (const { key, entry } of leaving) runs.get(key)?.delete(entry);
    for (const [key, entries] of runs) {
      if (entries.size === 0) batch.push({ type: 'del', key, sublevel: this.runs });
      else batch.push({ type: 'put', key, value: joinPostings([...entries]), sublevel: this.runs });
    }
  }

  /**
   * Turns a store indexed before runs into runs: every record without a run
   * gets its postings (from its terms) written into runs, a batch of records
   * at a time, then the old postings are emptied. Resumable: a record
   * already in a run is skipped, and the old postings stay until the end.
   * Must finish before the index takes writes (server.ts awaits it).
   */
  async migratePostingsToRuns(): Promise<number> {
    const [first] = await this.postings.keys({ limit: 1 }).all();
    if (first === undefined) return 0;
    let migrated = 0;
    const iterator = this.messages.iterator();
    try {
      for (;;) {
        const entries = await iterator.nextv(MIGRATE_BATCH);
        if (entries.length === 0) break;
        const messages = entries.flatMap(([key, stored]) => {
          if (stored.run !== undefined || stored.terms.length === 0) return [];
          const at = key.indexOf('!');
          return [{ conversationId: key.slice(0, at), messageId: key.slice(at + 1), stored }];
        });
        if (messages.length === 0) continue;
        const batch: BatchOperation[] = [];
        this.intoRuns(messages, batch);
        await this.db.root.batch(batch);
        migrated += messages.length;
      }
    } finally {
      await iterator.close();
    }
    await this.postings.clear();
    return migrated;
  }

  /**
   * Reads the driving term's postings newest first, keeps those of the
   * asker's conversations whose record holds every other term, and stops at
   * `limit` hits or after `TERM_SCAN_LIMIT` postings; stopped short of a
   * page for someone in `FEW_CONVERSATIONS` or fewer, it reads their records
   * instead (`fromRecords`).
   */
  async candidates(conversationIds: readonly string[], wanted: readonly QueryTerm[], limit: number): Promise<IndexCandidate[]> {
    const mine = new Set(conversationIds);
    if (mine.size === 0 || wanted.length === 0 || limit <= 0) return [];
    const driving = drivingTerm(wanted);
    const others = wanted.filter((term) => term !== driving);
    const found: IndexCandidate[] = [];
    const keep = async (postings: readonly Posting[]) => {
      const theirs = postings.filter((posting) => mine.has(posting.conversationId));
      for (const posting of others.length === 0 ? theirs : await this.holdingAll(theirs, others)) {
        if (found.length === limit) break;
        found.push(posting);
      }
    };
    const terms = driving.prefix ? await termsStartingWith(this.runs, driving.term) : [driving.term];
    const stopped = await scanNewestPostings(
      this.runs,
      { terms, prefix: driving.term, scanLimit: this.termScanLimit, batches: { first: READ_BATCH, growth: 1, max: READ_BATCH } },
      keep,
      () => found.length >= limit,
    );
    if (stopped && found.length < limit && mine.size <= FEW_CONVERSATIONS) {
      const complete = await this.fromRecords([...mine], wanted, limit);
      if (complete) return complete;
    }
    return found.sort(newestFirst);
  }

  /**
   * The newest `limit` messages of these (few) conversations holding every
   * term, from their records; null when they hold more than
   * `recordScanLimit` records (the postings' answer stands then).
   */
  private async fromRecords(
    conversationIds: readonly string[],
    wanted: readonly QueryTerm[],
    limit: number,
  ): Promise<IndexCandidate[] | null> {
    const hits: IndexCandidate[] = [];
    let read = 0;
    for (const conversationId of conversationIds) {
      const prefix = keyPrefix(conversationId);
      const iterator = this.messages.iterator({ ...prefixRange(prefix), limit: this.recordScanLimit - read + 1 });
      try {
        for (;;) {
          const entries = await iterator.nextv(READ_BATCH);
          if (entries.length === 0) break;
          read += entries.length;
          if (read > this.recordScanLimit) return null;
          for (const [key, record] of entries) {
            if (wanted.every((term) => holds(record.terms, term)))
              hits.push({ conversationId, messageId: key.slice(prefix.length), createdAt: record.createdAt });
          }
        }
      } finally {
        await iterator.close();
      }
    }
    return hits.sort(newestFirst).slice(0, limit);
  }

  /** The postings whose message holds every one of `terms` (read from their records). */
  private async holdingAll(postings: readonly Posting[], terms: readonly QueryTerm[]): Promise<Posting[]> {
    if (postings.length === 0) return [];
    const records = await this.messages.getMany(postings.map((p) => compositeKey(p.conversationId, p.messageId)));
    return postings.filter((_, i) => {
      const record = records[i];
      return record !== undefined && terms.every((term) => holds(record.terms, term));
    });
  }

  /** The records of these messages of one conversation (missing ones left out). */
  async records(conversationId: string, messageIds: readonly string[]): Promise<IndexedMessage[]> {
    if (messageIds.length === 0) return [];
    const stored = await this.messages.getMany(messageIds.map((id) => compositeKey(conversationId, id)));
    const out: IndexedMessage[] = [];
    stored.forEach((record, i) => {
      if (!record) return;
      const { run: _run, ...message } = record;
      out.push({ messageId: messageIds[i], ...message });
    });
    return out;
  }
}
